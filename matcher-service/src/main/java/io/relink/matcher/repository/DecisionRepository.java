package io.relink.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.relink.events.MatchOutcome;
import io.relink.matcher.Decision;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@ApplicationScoped
public class DecisionRepository implements PanacheRepositoryBase<Decision, String> {

    public Uni<List<Decision>> list(String source, MatchOutcome outcome, int offset, int limit) {
        var query = outcome == null
                ? find("atlassianSource", Sort.by("accountId"), source)
                : find("atlassianSource = ?1 and outcome = ?2", Sort.by("accountId"), source, outcome);
        return query.range(offset, (int) Math.min(Integer.MAX_VALUE, (long) offset + limit - 1)).list();
    }

    public Uni<Map<MatchOutcome, Long>> countByOutcome(String source) {
        return getSession().flatMap(session -> session
                .createQuery("select d.outcome, count(d) from Decision d where d.atlassianSource = :source group by d.outcome",
                        Object[].class)
                .setParameter("source", source)
                .getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(r -> (MatchOutcome) r[0], r -> (Long) r[1])));
    }

    /** Every decision's flags (JSON lists) and rule, for the per-rule and per-blocker counts of a report. */
    public Uni<List<Object[]>> rulesAndFlags(String source) {
        return getSession().flatMap(session -> session
                .createQuery("select d.rule, d.flags from Decision d where d.atlassianSource = :source", Object[].class)
                .setParameter("source", source)
                .getResultList());
    }
}
