package io.relink.matcher.repository;

import io.relink.matcher.IdentityAddress;
import io.relink.matcher.IndexedIdentity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one re-decision has read of the index so far: which identities each address leads to, and the identities
 * themselves. Its look-ups overlap (the accounts' keys, then the same keys widened by the Entra users found), so
 * each address and each identity is read from the database once. Valid for one re-decision, after the batch's
 * writes: it must not outlive the transaction that filled it.
 *
 * <p>The identities the batch has just written, and their address rows, are known without a read: the look-ups by
 * address ask the database only for the other identities an address leads to. Most rows an address look-up found
 * were the batch's own (a first snapshot: all of them), read back, decoded and thrown away.
 */
public final class IndexReads {

    final Map<String, List<String>> idsByAddress = new HashMap<>();
    final Map<String, IndexedIdentity> identities = new HashMap<>();
    /** The batch's own identities by address (from their {@link IndexedIdentity#addressRows}). */
    private final Map<String, List<String>> ownIdsByAddress = new HashMap<>();
    /** The batch's own identities' ids; not {@code identities}' keys, which grow with every identity read. */
    private final String[] ownIds;

    /**
     * Starts with identities whose current state the caller holds already (the ones it just wrote, with the address
     * rows it wrote for them).
     */
    public IndexReads(Collection<IndexedIdentity> known) {
        known.forEach(identity -> {
            identities.put(identity.id, identity);
            if (identity.addressRows == null) {
                throw new IllegalArgumentException("The address rows of " + identity.id + " are not known");
            }
            for (IdentityAddress row : identity.addressRows) {
                ownIdsByAddress.computeIfAbsent(row.address, a -> new ArrayList<>(1)).add(identity.id);
            }
        });
        ownIds = known.stream().map(identity -> identity.id).toArray(String[]::new);
    }

    /** The written identities' ids, which the look-ups by address leave out (they are known). */
    String[] ownIds() {
        return ownIds;
    }

    /** The ids the address leads to: the batch's own and those the database found ({@code read}). */
    void found(String address, List<String> read) {
        List<String> ids = new ArrayList<>(ownIdsByAddress.getOrDefault(address, List.of()));
        ids.addAll(read);
        idsByAddress.put(address, ids);
    }
}
