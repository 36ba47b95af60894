package io.relink.inventory.service;

import io.relink.events.Identity;

import java.util.List;
import java.util.UUID;

/**
 * What changed between two snapshots of one source. Lists are cut at the requested limit; the counts are
 * always complete.
 */
public record SnapshotDiff(String source, Side from, Side to, int added, int changed, int removed, int unchanged,
                           List<Entry> addedIdentities, List<Entry> changedIdentities, List<Entry> removedIdentities) {

    public record Side(UUID id, long version) {
    }

    /** {@code before} is null for an added identity, {@code after} for a removed one. */
    public record Entry(String externalId, Identity before, Identity after) {
    }
}
