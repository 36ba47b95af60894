package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@link EventTypes#SNAPSHOT_COMPLETED_V1}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotCompleted(
        String sourceName,
        SourceKind sourceKind,
        String snapshotId,
        long snapshotVersion,
        long total,
        long added,
        long changed,
        long removed) {
}
