package io.relink.executor.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.relink.executor.Plan;
import io.relink.executor.PlanItem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PlanRepository implements PanacheRepositoryBase<Plan, UUID> {

    public Uni<List<Plan>> newestFirst() {
        return listAll(Sort.descending("createdAt"));
    }

    public Uni<List<PlanItem>> items(UUID planId, int offset, int limit) {
        return PlanItem.<PlanItem>find("planId", Sort.by("position"), planId)
                .range(offset, offset + limit - 1).list();
    }
}
