package io.relink.inventory.service;

import io.relink.inventory.repository.BulkSnapshotRepository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects identities in memory: the first per external id is kept, repeats are listed as duplicates
 * for the snapshot report. For pulls and tests; uploads stream into the bulk writer instead.
 */
final class IdentityCollector implements IdentitySink {

    private final List<ParsedIdentity> identities = new ArrayList<>();
    private final List<BulkSnapshotRepository.Duplicate> duplicates = new ArrayList<>();
    private final Map<String, Long> firstLineById = new HashMap<>();
    private long count;

    @Override
    public void add(ParsedIdentity identity) {
        count++;
        String id = identity.identity().externalId();
        Long first = firstLineById.putIfAbsent(id, identity.line());
        if (first != null) {
            duplicates.add(new BulkSnapshotRepository.Duplicate(identity.line(), id, first));
        } else {
            identities.add(identity);
        }
    }

    @Override
    public long count() {
        return count;
    }

    ParseResult result() {
        return new ParseResult(identities, duplicates);
    }

    /** Refuses the input when anything was wrong, or when it held nothing ({@code emptyField}, {@code emptyReason}). */
    ParseResult result(InputErrors errors, String emptyField, String emptyReason) {
        errors.finish(count, emptyField, emptyReason);
        return result();
    }
}
