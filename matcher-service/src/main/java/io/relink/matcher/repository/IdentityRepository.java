package io.relink.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.relink.events.SourceKind;
import io.relink.matcher.IndexedIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<IndexedIdentity, String> {

    /** Entra users whose mail or userPrincipalName is one of the addresses. */
    public Uni<List<IndexedIdentity>> entraUsersByAddress(Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("sourceKind = ?1 and (emailNorm in ?2 or upnNorm in ?2)", SourceKind.ENTRA, addresses);
    }

    /** Atlassian accounts whose email is one of the addresses. */
    public Uni<List<IndexedIdentity>> atlassianAccountsByEmail(Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("sourceKind = ?1 and emailNorm in ?2", SourceKind.ATLASSIAN, addresses);
    }

    public Uni<Long> countBySource(String sourceName) {
        return count("sourceName", sourceName);
    }
}
