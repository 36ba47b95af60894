package io.relink.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.relink.events.SourceKind;
import io.relink.matcher.IdentityAddress;
import io.relink.matcher.IndexedIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity index. Reads and writes take whole sets (a batch of events at a time) as PostgreSQL arrays: one
 * statement per step, whatever the batch size, instead of one per identity.
 */
@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<IndexedIdentity, String> {

    /** The columns {@link #byIds} reads, in the order {@link #identity} maps them. */
    private static final String COLUMNS = "id, source_name, source_kind, external_id, display_name, email, email_norm, upn_norm, "
            + "secondary, other_mails, active, user_type, auth_policy, scim_external_id, linked_account_id, updated_at";

    /**
     * The matcher's index lock, held until the transaction ends (see {@link #lockForMatching}); re-entrant. Writers of
     * decisions hold it too ({@link DecisionRepository#upsertAll}).
     */
    static final String MATCHING_LOCK = "select pg_advisory_xact_lock(hashtext(current_schema() || '.identity-index'))";

    /**
     * Prepares the current transaction to change the index and re-decide accounts; call it first.
     *
     * <p>Takes the matcher's index lock until the transaction ends. Replicas consume different partitions, but one
     * account's decision reads identities of every partition: an Atlassian account indexed by one replica and the Entra
     * user it matches indexed by another, at the same moment, would each be decided without the other (neither
     * transaction sees what the other has not committed yet), and the account would stay NO_MATCH. Holding the lock,
     * a transaction sees everything committed before it; replicas still read, dedup and parse in parallel. The lock is
     * named after the schema, so matchers of other deployments sharing the database do not wait for each other.
     *
     * <p>For the rest of the transaction, plans read by key. Every statement of the matching path looks rows up by key,
     * but while the index grows fast (a first snapshot of a million identities) and before the next ANALYZE
     * (autovacuum may be slow or off), the planner takes the tables for small and scans them: one scan per batch of
     * a table of millions.
     */
    public Uni<Void> lockForMatching() {
        return getSession().flatMap(session -> session
                        .createNativeQuery(MATCHING_LOCK)
                        .getSingleResult()
                        .flatMap(locked -> session.createNativeQuery("set local enable_seqscan = off").executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * The identities with these ids, read as plain rows: not managed by the session. The matching path reads several
     * identities per event and never changes one through the session (it writes with {@link #upsertAll}); as managed
     * entities, loading them and checking them for changes at every flush took a fifth of the matcher's CPU time.
     */
    public Uni<List<IndexedIdentity>> byIds(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().flatMap(session -> session
                        .createNativeQuery("select " + COLUMNS + " from identity where id = any(cast(:ids as text[]))", Object[].class)
                        .setParameter("ids", ids.toArray(String[]::new))
                        .getResultList())
                .map(rows -> rows.stream().map(IdentityRepository::identity).toList());
    }

    /** One row of {@link #COLUMNS}. */
    private static IndexedIdentity identity(Object[] row) {
        IndexedIdentity identity = new IndexedIdentity();
        identity.id = (String) row[0];
        identity.sourceName = (String) row[1];
        identity.sourceKind = SourceKind.valueOf((String) row[2]);
        identity.externalId = (String) row[3];
        identity.displayName = (String) row[4];
        identity.email = (String) row[5];
        identity.emailNorm = (String) row[6];
        identity.upnNorm = (String) row[7];
        identity.secondary = (String) row[8];
        identity.otherMails = (String) row[9];
        identity.active = (Boolean) row[10];
        identity.userType = (String) row[11];
        identity.authPolicy = (String) row[12];
        identity.scimExternalId = (String) row[13];
        identity.linkedAccountId = (String) row[14];
        identity.updatedAt = instant(row[15]);
        return identity;
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant();
        }
        return (Instant) value;
    }

    /**
     * Identities of one kind that can be found by any of the addresses (see {@link IdentityAddress}), in the order the
     * addresses lead to them. Two steps on purpose: address -> ids through the address index, then primary-key
     * look-ups. As one semi-join, the planner scanned every identity of the kind while statistics were stale (bulk
     * loads). Addresses and identities {@code reads} holds already are not read again, nor the rows of the identities
     * it was started with (the batch's own, known).
     */
    public Uni<List<IndexedIdentity>> byAddress(SourceKind kind, Collection<String> addresses, IndexReads reads) {
        List<String> unread = addresses.stream().filter(address -> !reads.idsByAddress.containsKey(address)).toList();
        Uni<Void> addressesRead = unread.isEmpty() ? Uni.createFrom().voidItem() : getSession().flatMap(session -> session
                        .createNativeQuery("""
                                select a.address, a.identity_id from identity_address a
                                where a.address = any(cast(:addresses as text[]))
                                  and not exists (select from unnest(cast(:known as text[])) as known(id) where known.id = a.identity_id)""",
                                Object[].class)
                        .setParameter("addresses", unread.toArray(String[]::new))
                        .setParameter("known", reads.ownIds())
                        .getResultList())
                .invoke(rows -> {
                    Map<String, List<String>> read = new HashMap<>();
                    rows.forEach(row -> read.computeIfAbsent((String) row[0], a -> new ArrayList<>(1)).add((String) row[1]));
                    unread.forEach(address -> reads.found(address, read.getOrDefault(address, List.of())));
                })
                .replaceWithVoid();
        return addressesRead.flatMap(ignored -> {
            Set<String> ids = new LinkedHashSet<>();
            addresses.forEach(address -> ids.addAll(reads.idsByAddress.get(address)));
            List<String> missing = ids.stream().filter(id -> !reads.identities.containsKey(id)).toList();
            return byIds(missing).map(found -> {
                found.forEach(identity -> reads.identities.put(identity.id, identity));
                return ids.stream().map(reads.identities::get)
                        .filter(identity -> identity != null && identity.sourceKind == kind).toList();
            });
        });
    }

    /** Inserts or replaces these identities (not managed by the session: written as one statement). */
    public Uni<Void> upsertAll(List<IndexedIdentity> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return getSession().flatMap(session -> session.createNativeQuery("""
                        insert into identity (id, source_name, source_kind, external_id, display_name, email, email_norm,
                                              upn_norm, secondary, other_mails, active, user_type, auth_policy,
                                              scim_external_id, linked_account_id, addresses, updated_at)
                        select u.*, now() from unnest(cast(:id as text[]), cast(:sourceName as text[]), cast(:sourceKind as text[]),
                            cast(:externalId as text[]), cast(:displayName as text[]), cast(:email as text[]),
                            cast(:emailNorm as text[]), cast(:upnNorm as text[]), cast(:secondary as text[]),
                            cast(:otherMails as text[]), cast(:active as boolean[]), cast(:userType as text[]),
                            cast(:authPolicy as text[]), cast(:scimExternalId as text[]), cast(:linkedAccountId as text[]),
                            cast(:addresses as text[])) as u
                        on conflict (id) do update set source_name = excluded.source_name, source_kind = excluded.source_kind,
                            external_id = excluded.external_id, display_name = excluded.display_name, email = excluded.email,
                            email_norm = excluded.email_norm, upn_norm = excluded.upn_norm, secondary = excluded.secondary,
                            other_mails = excluded.other_mails, active = excluded.active, user_type = excluded.user_type,
                            auth_policy = excluded.auth_policy, scim_external_id = excluded.scim_external_id,
                            linked_account_id = excluded.linked_account_id, addresses = excluded.addresses,
                            updated_at = excluded.updated_at""")
                .setParameter("id", SqlArrays.column(rows, r -> r.id))
                .setParameter("sourceName", SqlArrays.column(rows, r -> r.sourceName))
                .setParameter("sourceKind", SqlArrays.column(rows, r -> r.sourceKind.name()))
                .setParameter("externalId", SqlArrays.column(rows, r -> r.externalId))
                .setParameter("displayName", SqlArrays.column(rows, r -> r.displayName))
                .setParameter("email", SqlArrays.column(rows, r -> r.email))
                .setParameter("emailNorm", SqlArrays.column(rows, r -> r.emailNorm))
                .setParameter("upnNorm", SqlArrays.column(rows, r -> r.upnNorm))
                .setParameter("secondary", SqlArrays.column(rows, r -> r.secondary))
                .setParameter("otherMails", SqlArrays.column(rows, r -> r.otherMails))
                .setParameter("active", rows.stream().map(r -> r.active).toArray(Boolean[]::new))
                .setParameter("userType", SqlArrays.column(rows, r -> r.userType))
                .setParameter("authPolicy", SqlArrays.column(rows, r -> r.authPolicy))
                .setParameter("scimExternalId", SqlArrays.column(rows, r -> r.scimExternalId))
                .setParameter("linkedAccountId", SqlArrays.column(rows, r -> r.linkedAccountId))
                .setParameter("addresses", SqlArrays.column(rows, r -> r.addresses))
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * Removes these identities and their address rows (no foreign key does it: see migration V6). Call it before
     * {@link #upsertAll} in a batch: the rows are found by the addresses the identities list as written.
     */
    public Uni<Void> deleteAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] removed = ids.toArray(String[]::new);
        return deleteAddressRows(removed).flatMap(addresses -> getSession())
                .flatMap(session -> session.createNativeQuery("delete from identity where id = any(cast(:ids as text[]))")
                        .setParameter("ids", removed)
                        .executeUpdate()).replaceWithVoid();
    }

    /**
     * Removes the address rows of the identities in {@code replaced} and writes {@code rows}. Call it before
     * {@link #upsertAll} writes the identities' new address lists: the old rows are found by the old lists.
     */
    public Uni<Void> replaceAddresses(Collection<String> replaced, List<IdentityAddress> rows) {
        return deleteAddressRows(replaced.toArray(String[]::new)).flatMap(deleted -> getSession())
                .flatMap(session -> rows.isEmpty() ? Uni.createFrom().item(0) : session.createNativeQuery("""
                                insert into identity_address (identity_id, address, kind)
                                select * from unnest(cast(:ids as text[]), cast(:addresses as text[]), cast(:kinds as text[]))""")
                        .setParameter("ids", SqlArrays.column(rows, r -> r.identityId))
                        .setParameter("addresses", SqlArrays.column(rows, r -> r.address))
                        .setParameter("kinds", SqlArrays.column(rows, r -> r.kind))
                        .executeUpdate()).replaceWithVoid();
    }

    /** The address rows of these identities, found through the address index by the addresses each one lists. */
    private Uni<Integer> deleteAddressRows(String[] ids) {
        return ids.length == 0 ? Uni.createFrom().item(0) : getSession().flatMap(session -> session.createNativeQuery("""
                        delete from identity_address a
                        using identity i cross join lateral jsonb_array_elements_text(cast(i.addresses as jsonb)) as listed(address)
                        where i.id = any(cast(:ids as text[])) and a.address = listed.address and a.identity_id = i.id""")
                .setParameter("ids", ids)
                .executeUpdate());
    }

    public Uni<Long> countBySource(String sourceName) {
        return count("sourceName", sourceName);
    }
}
