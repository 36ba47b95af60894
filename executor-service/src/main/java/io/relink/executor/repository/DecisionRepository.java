package io.relink.executor.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.relink.executor.ReceivedDecision;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class DecisionRepository implements PanacheRepositoryBase<ReceivedDecision, String> {

    public Uni<List<ReceivedDecision>> forSource(String source) {
        return list("atlassianSource", Sort.by("email").and("accountId"), source);
    }

    public Uni<Long> countForSource(String source) {
        return count("atlassianSource", source);
    }
}
