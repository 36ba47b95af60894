package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import io.relink.executor.DeadLetter;
import io.relink.support.rest.InvalidInputException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Lists dead letters and replays them: the user goes back to the start of the step that failed, attempts kept. */
@ApplicationScoped
public class DeadLetterService {

    private final AuditTrail audit;

    public DeadLetterService(AuditTrail audit) {
        this.audit = audit;
    }

    /** Which dead letters: every criterion is optional; only open (not yet replayed) ones unless asked. */
    public record Filter(UUID campaignId, String errorClass, Instant from, Instant to, String accountId, boolean includeReplayed) {

        String where() {
            List<String> clauses = new ArrayList<>();
            if (campaignId != null) {
                clauses.add("campaignId = :campaign");
            }
            if (errorClass != null) {
                clauses.add("errorClass = :errorClass");
            }
            if (from != null) {
                clauses.add("failedAt >= :from");
            }
            if (to != null) {
                clauses.add("failedAt < :to");
            }
            if (accountId != null) {
                clauses.add("(accountId = :account or lower(email) = lower(:account))");
            }
            if (!includeReplayed) {
                clauses.add("replayedAt is null");
            }
            return clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses);
        }

        Parameters parameters() {
            Parameters params = new Parameters();
            if (campaignId != null) {
                params = params.and("campaign", campaignId);
            }
            if (errorClass != null) {
                params = params.and("errorClass", errorClass);
            }
            if (from != null) {
                params = params.and("from", from);
            }
            if (to != null) {
                params = params.and("to", to);
            }
            if (accountId != null) {
                params = params.and("account", accountId);
            }
            return params;
        }
    }

    @WithSession
    public Uni<List<DeadLetter>> list(Filter filter, int limit) {
        return DeadLetter.<DeadLetter>find(filter.where(), Sort.by("failedAt").and("id"), filter.parameters())
                .range(0, limit - 1).list();
    }

    public record ReplayResult(int replayed, int skipped, List<String> notes) {
    }

    /**
     * Sends the matching users back to the start of the step that failed. A campaign that had completed runs again
     * until they are done; a paused or halted one keeps them queued until it is resumed.
     */
    public Uni<ReplayResult> replay(Filter filter, String actor) {
        if (filter.includeReplayed()) {
            throw InvalidInputException.of(null, null, "includeReplayed", "only open dead letters can be replayed");
        }
        return Panache.withTransaction(() -> DeadLetter.<DeadLetter>find(filter.where() + " order by failedAt",
                filter.parameters()).list().flatMap(letters -> {
            List<String> notes = new ArrayList<>();
            Instant now = Instant.now();
            List<UUID> userIds = letters.stream().map(l -> l.userId).distinct().toList();
            return CampaignUser.<CampaignUser>list("id in ?1", userIds).flatMap(found -> {
                Map<UUID, Integer> replayedPerCampaign = new LinkedHashMap<>();
                for (DeadLetter letter : letters) {
                    CampaignUser user = found.stream().filter(u -> u.id.equals(letter.userId)).findFirst().orElse(null);
                    letter.replayedAt = now;
                    letter.replayedBy = actor;
                    if (user == null || (user.state != CampaignUser.State.FAILED && user.state != CampaignUser.State.ROLLBACK_FAILED)) {
                        notes.add(letter.accountId + ": no longer failed (" + (user == null ? "gone" : user.state) + "), closed");
                        continue;
                    }
                    user.state = CampaignUser.Step.valueOf(letter.step).resumeState();
                    user.errorClass = null;
                    user.lastError = "Replayed by " + actor + " after: " + letter.reason;
                    user.nextCheckAt = null;
                    user.stepStartedAt = now;
                    user.linkChecks = 0;
                    user.updatedAt = now;
                    replayedPerCampaign.merge(user.campaignId, 1, Integer::sum);
                }
                int count = replayedPerCampaign.values().stream().mapToInt(Integer::intValue).sum();
                List<UUID> campaignsToReopen = List.copyOf(replayedPerCampaign.keySet());
                Uni<Integer> reopen = campaignsToReopen.isEmpty() ? Uni.createFrom().item(0)
                        : Campaign.update("state = ?1, stateReason = ?2, updatedAt = ?3, finishedAt = null where id in ?4 and state = ?5",
                                Campaign.State.RUNNING, "Replaying dead letters for " + actor, now, campaignsToReopen,
                                Campaign.State.COMPLETED);
                return reopen
                        .flatMap(x -> Panache.getSession())
                        .flatMap(session -> session.persistAll(campaignsToReopen.stream().map(campaignId -> audit.decision(actor,
                                campaignId, null, "REPLAY", "OK", replayedPerCampaign.get(campaignId) + " users replayed ("
                                        + describe(filter) + ")")).toArray()))
                        .replaceWith(new ReplayResult(count, letters.size() - count, notes));
            });
        }));
    }

    private static String describe(Filter filter) {
        List<String> parts = new ArrayList<>();
        if (filter.campaignId() != null) {
            parts.add("campaign " + filter.campaignId());
        }
        if (filter.errorClass() != null) {
            parts.add("error " + filter.errorClass());
        }
        if (filter.from() != null || filter.to() != null) {
            parts.add("failed " + (filter.from() == null ? "…" : filter.from()) + " to " + (filter.to() == null ? "…" : filter.to()));
        }
        if (filter.accountId() != null) {
            parts.add("user " + filter.accountId());
        }
        return parts.isEmpty() ? "all open dead letters" : String.join(", ", parts);
    }
}
