package io.relink.events;

/**
 * Versioned event type names. A breaking change to a payload gets a new name ({@code .v2}) and both
 * versions are published side by side until every consumer has moved.
 */
public final class EventTypes {

    /** An identity was added, changed or removed in a source's newest snapshot. */
    public static final String IDENTITY_CHANGED_V1 = "relink.identity.changed.v1";
    /** A snapshot was fully persisted; all its identity changes precede this event on the topic. */
    public static final String SNAPSHOT_COMPLETED_V1 = "relink.snapshot.completed.v1";
    /** The matcher decided (or re-decided) the outcome for one Atlassian account. */
    public static final String MATCH_DECIDED_V1 = "relink.match.decided.v1";
    /** A person approved, rejected or overrode a match (published with the decision it leads to). */
    public static final String MATCH_REVIEWED_V1 = "relink.match.reviewed.v1";
    /** A migration campaign changed state (planned, running, paused, halted, completed, rolled back, ...). */
    public static final String CAMPAIGN_STATE_CHANGED_V1 = "relink.campaign.state-changed.v1";
    /** One account of a campaign reached an end state: moved, skipped, failed, rolled back. */
    public static final String CAMPAIGN_USER_CHANGED_V1 = "relink.campaign.user-changed.v1";
    /** A user step failed after its retries; replay it by campaign, error class, time or user. */
    public static final String STEP_DEAD_LETTERED_V1 = "relink.campaign.step-dead-lettered.v1";

    /** The payload ({@code data}) of each type, which consumers decode it into. */
    private static final java.util.Map<String, Class<?>> DATA_TYPES = java.util.Map.of(
            IDENTITY_CHANGED_V1, IdentityChanged.class,
            SNAPSHOT_COMPLETED_V1, SnapshotCompleted.class,
            MATCH_DECIDED_V1, MatchDecided.class,
            MATCH_REVIEWED_V1, MatchReviewed.class,
            CAMPAIGN_STATE_CHANGED_V1, CampaignStateChanged.class,
            CAMPAIGN_USER_CHANGED_V1, CampaignUserChanged.class,
            STEP_DEAD_LETTERED_V1, StepDeadLettered.class);

    private EventTypes() {
    }

    /** The class an event type's {@code data} decodes into; empty for a type this contract does not know. */
    public static java.util.Optional<Class<?>> dataType(String type) {
        return java.util.Optional.ofNullable(DATA_TYPES.get(type));
    }
}
