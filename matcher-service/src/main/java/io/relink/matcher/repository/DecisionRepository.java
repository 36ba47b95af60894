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

    /** The decisions with these ids (managed entities of the current session). */
    public Uni<List<Decision>> byIds(java.util.Collection<String> ids) {
        return SqlArrays.byIds("match_decision", Decision.class, ids);
    }

    /**
     * Inserts or replaces these decisions (not managed by the session) with one statement, each with the next number
     * of the publication order, so that {@link io.relink.matcher.messaging.DecisionPublisher} sends its event. Takes
     * the matching lock first (its callers hold it already: it is re-entrant): numbers must become visible in the order
     * they were taken, which holds only while one transaction at a time takes them and commits.
     */
    public Uni<Void> upsertAll(List<Decision> rows, String traceParent) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return getSession().flatMap(session -> session.createNativeQuery(IdentityRepository.MATCHING_LOCK).getSingleResult()
                .flatMap(locked -> session.createNativeQuery("""
                        insert into match_decision (id, atlassian_source, account_id, email, display_name, outcome, idp_source,
                                                    idp_user_id, confidence, rule, evidence, flags, current_policy, reason,
                                                    revision, machine_fingerprint, decided_at, publish_seq, trace_parent)
                        select u.id, u.atlassian_source, u.account_id, u.email, u.display_name, u.outcome, u.idp_source,
                               u.idp_user_id, cast(u.confidence as float8), u.rule, u.evidence, u.flags, u.current_policy,
                               u.reason, cast(u.revision as int8), u.machine_fingerprint, cast(u.decided_at as timestamptz),
                               nextval('match_decision_publish_seq'), cast(:traceParent as text)
                        from unnest(cast(:id as text[]), cast(:source as text[]), cast(:accountId as text[]), cast(:email as text[]),
                                    cast(:displayName as text[]), cast(:outcome as text[]), cast(:idpSource as text[]),
                                    cast(:idpUserId as text[]), cast(:confidence as text[]), cast(:rule as text[]),
                                    cast(:evidence as text[]), cast(:flags as text[]), cast(:currentPolicy as text[]),
                                    cast(:reason as text[]), cast(:revision as text[]), cast(:fingerprint as text[]),
                                    cast(:decidedAt as text[]))
                             as u(id, atlassian_source, account_id, email, display_name, outcome, idp_source, idp_user_id,
                                  confidence, rule, evidence, flags, current_policy, reason, revision, machine_fingerprint,
                                  decided_at)
                        on conflict (id) do update set atlassian_source = excluded.atlassian_source,
                            account_id = excluded.account_id, email = excluded.email, display_name = excluded.display_name,
                            outcome = excluded.outcome, idp_source = excluded.idp_source, idp_user_id = excluded.idp_user_id,
                            confidence = excluded.confidence, rule = excluded.rule, evidence = excluded.evidence,
                            flags = excluded.flags, current_policy = excluded.current_policy, reason = excluded.reason,
                            revision = excluded.revision, machine_fingerprint = excluded.machine_fingerprint,
                            decided_at = excluded.decided_at, publish_seq = excluded.publish_seq,
                            trace_parent = excluded.trace_parent""")
                .setParameter("id", SqlArrays.column(rows, d -> d.id))
                .setParameter("source", SqlArrays.column(rows, d -> d.atlassianSource))
                .setParameter("accountId", SqlArrays.column(rows, d -> d.accountId))
                .setParameter("email", SqlArrays.column(rows, d -> d.email))
                .setParameter("displayName", SqlArrays.column(rows, d -> d.displayName))
                .setParameter("outcome", SqlArrays.column(rows, d -> d.outcome.name()))
                .setParameter("idpSource", SqlArrays.column(rows, d -> d.idpSource))
                .setParameter("idpUserId", SqlArrays.column(rows, d -> d.idpUserId))
                .setParameter("confidence", SqlArrays.column(rows, d -> Double.toString(d.confidence)))
                .setParameter("rule", SqlArrays.column(rows, d -> d.rule))
                .setParameter("evidence", SqlArrays.column(rows, d -> d.evidence))
                .setParameter("flags", SqlArrays.column(rows, d -> d.flags))
                .setParameter("currentPolicy", SqlArrays.column(rows, d -> d.currentPolicy))
                .setParameter("reason", SqlArrays.column(rows, d -> d.reason))
                .setParameter("revision", SqlArrays.column(rows, d -> Long.toString(d.revision)))
                .setParameter("fingerprint", SqlArrays.column(rows, d -> d.machineFingerprint))
                .setParameter("decidedAt", SqlArrays.column(rows, d -> d.decidedAt.toString()))
                .setParameter("traceParent", traceParent)
                .executeUpdate())).replaceWithVoid();
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
