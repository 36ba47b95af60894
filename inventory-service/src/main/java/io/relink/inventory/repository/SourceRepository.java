package io.relink.inventory.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.relink.inventory.Source;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class SourceRepository implements PanacheRepositoryBase<Source, String> {

    public Uni<List<Source>> listByName() {
        return listAll(Sort.by("name"));
    }
}
