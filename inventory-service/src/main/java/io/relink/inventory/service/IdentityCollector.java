package io.relink.inventory.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what a parser or a pull read: the first identity per external id is kept, repeats are listed
 * as duplicates for the snapshot report. Every input format goes through here.
 */
final class IdentityCollector {

    private final List<ParsedIdentity> identities = new ArrayList<>();
    private final List<ParseResult.Duplicate> duplicates = new ArrayList<>();
    private final Map<String, Long> firstLineById = new HashMap<>();

    void add(ParsedIdentity identity) {
        String id = identity.identity().externalId();
        Long first = firstLineById.putIfAbsent(id, identity.line());
        if (first != null) {
            duplicates.add(new ParseResult.Duplicate(identity.line(), id, first));
        } else {
            identities.add(identity);
        }
    }

    /** Refuses the input when anything was wrong, or when it held nothing ({@code emptyField}, {@code emptyReason}). */
    ParseResult result(InputErrors errors, String emptyField, String emptyReason) {
        errors.throwIfAny();
        if (identities.isEmpty() && emptyReason != null) {
            throw errors.fatal(null, emptyField, emptyReason);
        }
        return new ParseResult(identities, duplicates);
    }
}
