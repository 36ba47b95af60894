package io.relink.executor.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.relink.executor.Campaign;
import io.relink.executor.CampaignWave;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class CampaignRepository implements PanacheRepositoryBase<Campaign, UUID> {

    public Uni<List<Campaign>> newestFirst() {
        return listAll(Sort.descending("createdAt"));
    }

    public Uni<List<UUID>> activeIds() {
        return find("state in ?1", List.of(Campaign.State.RUNNING, Campaign.State.ROLLING_BACK))
                .project(IdOnly.class).list().map(rows -> rows.stream().map(IdOnly::id).toList());
    }

    public record IdOnly(UUID id) {
    }

    /** Takes (or renews) the campaign for this replica unless another replica holds an unexpired lease. */
    public Uni<Boolean> tryLease(UUID id, String owner, Instant until) {
        return update("leaseOwner = :owner, leaseUntil = :until where id = :id"
                        + " and (leaseOwner is null or leaseOwner = :owner or leaseUntil < :now)",
                Parameters.with("owner", owner).and("until", until).and("id", id).and("now", Instant.now()))
                .map(updated -> updated == 1);
    }

    /** Moves the campaign to {@code next} only if it is still in one of {@code expected}: a concurrent pause wins. */
    public Uni<Boolean> transition(UUID id, List<Campaign.State> expected, Campaign.State next, String reason) {
        Instant now = Instant.now();
        boolean finished = next == Campaign.State.COMPLETED || next == Campaign.State.ROLLED_BACK || next == Campaign.State.ABORTED;
        return update("state = :next, stateReason = :reason, updatedAt = :now"
                        + (next == Campaign.State.RUNNING ? ", startedAt = coalesce(startedAt, :now)" : "")
                        + (finished ? ", finishedAt = :now" : "")
                        + " where id = :id and state in :expected",
                Parameters.with("next", next).and("reason", reason).and("now", now).and("id", id).and("expected", expected))
                .map(updated -> updated == 1);
    }

    public Uni<List<CampaignWave>> waves(UUID campaignId) {
        return CampaignWave.<CampaignWave>find("campaignId", Sort.by("number"), campaignId).list();
    }

    public Uni<CampaignWave> wave(UUID campaignId, int number) {
        return CampaignWave.findById(new CampaignWave.Key(campaignId, number));
    }
}
