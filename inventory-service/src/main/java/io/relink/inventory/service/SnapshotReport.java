package io.relink.inventory.service;

import io.relink.events.SourceKind;
import io.relink.inventory.SnapshotStatus;
import io.relink.inventory.repository.BulkSnapshotRepository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an admin sees after an upload: the counts of the snapshot and of its diff; rows that repeated an identity
 * (left out; {@code duplicateCount} of them, the first ones listed) and emails several identities share (flagged).
 * {@code publishedAt}: when the last of its events was on Kafka (null while they are being sent, held or rejected).
 */
public record SnapshotReport(
        UUID id,
        String source,
        SourceKind kind,
        long version,
        SnapshotStatus status,
        String statusReason,
        String format,
        String fileName,
        int total,
        int added,
        int changed,
        int removed,
        int unchanged,
        int duplicateCount,
        List<BulkSnapshotRepository.Duplicate> duplicates,
        List<BulkSnapshotRepository.SharedEmail> sharedEmails,
        Instant createdAt,
        Instant publishedAt) {
}
