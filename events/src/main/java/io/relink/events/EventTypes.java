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

    private EventTypes() {
    }
}
