package io.relink.executor.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.relink.executor.CampaignUser;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

@ApplicationScoped
public class CampaignUserRepository implements PanacheRepositoryBase<CampaignUser, UUID> {

    /** Users of a wave in a state, oldest position first. */
    public Uni<List<CampaignUser>> inState(UUID campaignId, int wave, CampaignUser.State state, int limit) {
        return find("campaignId = ?1 and wave = ?2 and state = ?3", Sort.by("position"), campaignId, wave, state)
                .page(Page.ofSize(limit)).list();
    }

    /** Users of a wave in a state whose next check is due. */
    public Uni<List<CampaignUser>> due(UUID campaignId, int wave, CampaignUser.State state, Instant now, int limit) {
        return find("campaignId = ?1 and wave = ?2 and state = ?3 and (nextCheckAt is null or nextCheckAt <= ?4)",
                Sort.by("nextCheckAt").and("position"), campaignId, wave, state, now).page(Page.ofSize(limit)).list();
    }

    /** Users left in an in-flight state for longer than the grace period: a crash interrupted them. */
    public Uni<List<CampaignUser>> stale(UUID campaignId, CampaignUser.State state, Instant before, int limit) {
        return find("campaignId = ?1 and state = ?2 and updatedAt < ?3", Sort.by("position"), campaignId, state, before)
                .page(Page.ofSize(limit)).list();
    }

    public Uni<List<CampaignUser>> byIds(Collection<UUID> ids) {
        return list("id in ?1", ids);
    }

    /** The lowest wave that still has users to move, or null when every wave is done. */
    public Uni<Integer> currentWave(UUID campaignId) {
        return getSession().flatMap(session -> session.createSelectionQuery(
                        "select min(u.wave) from CampaignUser u where u.campaignId = :c and u.wave is not null and u.state in :open",
                        Integer.class)
                .setParameter("c", campaignId)
                .setParameter("open", OPEN)
                .getSingleResult());
    }

    public static final List<CampaignUser.State> OPEN = List.of(CampaignUser.State.PENDING, CampaignUser.State.READY,
            CampaignUser.State.SCOPE_IN_FLIGHT, CampaignUser.State.SCOPED, CampaignUser.State.LINKED,
            CampaignUser.State.POLICY_IN_FLIGHT, CampaignUser.State.POLICY_REQUESTED);

    public Uni<Map<CampaignUser.State, Long>> countByState(UUID campaignId, Integer wave) {
        String where = wave == null ? "" : " and u.wave = :w";
        return getSession().flatMap(session -> {
            var query = session.createSelectionQuery("select u.state, count(u) from CampaignUser u where u.campaignId = :c"
                    + where + " group by u.state", Object[].class).setParameter("c", campaignId);
            if (wave != null) {
                query.setParameter("w", wave);
            }
            return query.getResultList();
        }).map(rows -> {
            Map<CampaignUser.State, Long> counts = new EnumMap<>(CampaignUser.State.class);
            rows.forEach(row -> counts.put((CampaignUser.State) row[0], (Long) row[1]));
            return counts;
        });
    }

    /** wave -> state -> count, for every wave. */
    public Uni<Map<Integer, Map<CampaignUser.State, Long>>> countByWave(UUID campaignId) {
        return getSession().flatMap(session -> session.createSelectionQuery(
                        "select u.wave, u.state, count(u) from CampaignUser u where u.campaignId = :c and u.wave is not null"
                                + " group by u.wave, u.state", Object[].class)
                .setParameter("c", campaignId).getResultList())
                .map(rows -> {
                    Map<Integer, Map<CampaignUser.State, Long>> counts = new TreeMap<>();
                    rows.forEach(row -> counts.computeIfAbsent((Integer) row[0], w -> new EnumMap<>(CampaignUser.State.class))
                            .put((CampaignUser.State) row[1], (Long) row[2]));
                    return counts;
                });
    }

    /** Moves per minute over the last {@code window}: the basis of the ETA. */
    public Uni<Long> movedSince(UUID campaignId, Instant since) {
        return count("campaignId = ?1 and movedAt >= ?2", campaignId, since);
    }

    public Uni<List<CampaignUser>> page(UUID campaignId, int offset, int limit) {
        return find("campaignId", Sort.by("position"), campaignId).range(offset, offset + limit - 1).list();
    }

    /**
     * Marks every user the campaign (or one wave) has touched for rollback: the policy is restored only where it may
     * have changed; the scope membership is removed later only where this campaign added it.
     */
    public Uni<Integer> markForRollback(UUID campaignId, Integer wave, Instant now) {
        String waveFilter = wave == null ? "" : " and wave = :wave";
        List<CampaignUser.State> policyTouched = List.of(CampaignUser.State.MOVED, CampaignUser.State.POLICY_IN_FLIGHT,
                CampaignUser.State.POLICY_REQUESTED);
        List<CampaignUser.State> touched = List.of(CampaignUser.State.MOVED, CampaignUser.State.FAILED,
                CampaignUser.State.SCOPED, CampaignUser.State.LINKED, CampaignUser.State.SCOPE_IN_FLIGHT,
                CampaignUser.State.POLICY_IN_FLIGHT, CampaignUser.State.POLICY_REQUESTED);
        Parameters restore = Parameters.with("c", campaignId).and("states", policyTouched);
        Parameters mark = Parameters.with("c", campaignId).and("states", touched).and("now", now)
                .and("pending", CampaignUser.State.ROLLBACK_PENDING);
        if (wave != null) {
            restore = restore.and("wave", wave);
            mark = mark.and("wave", wave);
        }
        Parameters markParams = mark;
        return update("restorePolicy = true where campaignId = :c and state in :states and originalPolicyId is not null"
                        + waveFilter, restore)
                .flatMap(ignored -> update("state = :pending, updatedAt = :now where campaignId = :c and state in :states"
                        + waveFilter, markParams));
    }
}
