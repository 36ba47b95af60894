package io.relink.matcher.repository;

import io.relink.matcher.IndexedIdentity;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one re-decision has read of the index so far: which identities each address leads to, and the identities
 * themselves. Its look-ups overlap (the accounts' keys, then the same keys widened by the Entra users found), so
 * each address and each identity is read from the database once. Valid for one re-decision, after the batch's
 * writes: it must not outlive the transaction that filled it.
 */
public final class IndexReads {

    final Map<String, List<String>> idsByAddress = new HashMap<>();
    final Map<String, IndexedIdentity> identities = new HashMap<>();

    /** Starts with identities whose current state the caller holds already (the ones it just wrote). */
    public IndexReads(Collection<IndexedIdentity> known) {
        known.forEach(identity -> identities.put(identity.id, identity));
    }
}
