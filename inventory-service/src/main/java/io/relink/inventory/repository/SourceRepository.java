package io.relink.inventory.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.relink.inventory.Source;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;

@ApplicationScoped
public class SourceRepository implements PanacheRepositoryBase<Source, String> {

    /** Locks the source row so that two uploads to one source get consecutive versions, never the same. */
    public Uni<Source> findForUpdate(String name) {
        return findById(name, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<List<Source>> listByName() {
        return listAll(Sort.by("name"));
    }
}
