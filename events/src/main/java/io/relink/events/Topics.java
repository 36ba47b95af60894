package io.relink.events;

/**
 * Kafka topic names, in one place. Deployments may prepend a prefix (configuration key
 * {@code relink.topic-prefix}); the names below are the logical ones.
 */
public final class Topics {

    /** {@link EventTypes#IDENTITY_CHANGED_V1} and {@link EventTypes#SNAPSHOT_COMPLETED_V1}, keyed by source + identity. */
    public static final String IDENTITY = "relink.identity.v1";
    /** {@link EventTypes#MATCH_DECIDED_V1} and {@link EventTypes#MATCH_REVIEWED_V1}, keyed by Atlassian account. */
    public static final String MATCH = "relink.match.v1";
    /** {@link EventTypes#CAMPAIGN_STATE_CHANGED_V1} and {@link EventTypes#CAMPAIGN_USER_CHANGED_V1}, keyed by campaign. */
    public static final String CAMPAIGN = "relink.campaign.v1";
    /** {@link EventTypes#STEP_DEAD_LETTERED_V1}: user steps that failed after their retries, keyed by campaign + account. */
    public static final String CAMPAIGN_DEAD_LETTERS = "relink.campaign.dlq.v1";
    /** Suffix of the dead-letter topic each consumer writes to when a record cannot be processed. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private Topics() {
    }
}
