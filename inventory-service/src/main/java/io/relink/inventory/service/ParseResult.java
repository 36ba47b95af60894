package io.relink.inventory.service;

import io.relink.inventory.repository.BulkSnapshotRepository;

import java.util.List;

/**
 * What a parser read: the identities, plus rows that repeat an identity already read (kept out of
 * the snapshot and listed in its report).
 */
public record ParseResult(List<ParsedIdentity> identities, List<BulkSnapshotRepository.Duplicate> duplicates) {
}
