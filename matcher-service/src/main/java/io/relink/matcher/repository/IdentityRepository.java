package io.relink.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.relink.events.SourceKind;
import io.relink.matcher.IdentityAddress;
import io.relink.matcher.IndexedIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<IndexedIdentity, String> {

    /**
     * Identities of one kind that can be found by any of the addresses (see {@link IdentityAddress}).
     * Two steps on purpose: address -> ids through the address index, then primary-key look-ups. As one
     * semi-join, the planner scanned every identity of the kind while statistics were stale (bulk loads).
     */
    public Uni<List<IndexedIdentity>> byAddress(SourceKind kind, Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().flatMap(session -> session
                        .createQuery("select distinct a.identityId from IdentityAddress a where a.address in :addresses", String.class)
                        .setParameter("addresses", addresses)
                        .getResultList())
                .flatMap(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<IndexedIdentity>of())
                        : list("id in ?1", ids))
                .map(found -> found.stream().filter(identity -> identity.sourceKind == kind).toList());
    }

    /** Replaces the address index rows of one identity. */
    public Uni<Void> replaceAddresses(String identityId, List<IdentityAddress> addresses) {
        return IdentityAddress.delete("identityId", identityId)
                .flatMap(deleted -> getSession())
                .flatMap(session -> session.persistAll(addresses.toArray()))
                .flatMap(ignored -> flush());
    }

    public Uni<Long> countBySource(String sourceName) {
        return count("sourceName", sourceName);
    }
}
