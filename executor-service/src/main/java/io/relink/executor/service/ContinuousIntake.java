package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import io.relink.executor.CampaignWave;
import io.relink.executor.ReceivedDecision;
import io.relink.support.json.JsonColumns;
import io.relink.support.rest.InvalidInputException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Continuous campaigns: accounts matched after planning (new hires, changed addresses from delta pulls) join under
 * the same blockers and waves. They wait for an operator's approval unless the campaign auto-approves.
 */
@ApplicationScoped
public class ContinuousIntake {

    private static final List<Campaign.State> TAKING = List.of(Campaign.State.PLANNED, Campaign.State.RUNNING,
            Campaign.State.PAUSED, Campaign.State.HALTED);
    /** States in which a newer decision may still change what happens to a user. */
    private static final List<CampaignUser.State> NOT_STARTED = List.of(CampaignUser.State.AWAITING_APPROVAL,
            CampaignUser.State.PENDING, CampaignUser.State.EXCLUDED);

    private final JsonColumns json;
    private final AuditTrail audit;

    public ContinuousIntake(JsonColumns json, AuditTrail audit) {
        this.json = json;
        this.audit = audit;
    }

    /**
     * Offers stored decisions, in order, to every open continuous campaign of their source; runs in their transaction.
     * The open campaigns are read once for all of them: usually there are none, and a bulk intake costs nothing here.
     */
    public Uni<Void> offerAll(List<ReceivedDecision> decisions) {
        if (decisions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Campaign.<Campaign>list("continuous = true and state in ?1", TAKING)
                .flatMap(open -> open.isEmpty() ? Uni.createFrom().voidItem() : Multi.createFrom().iterable(decisions).onItem()
                        .transformToUniAndConcatenate(decision -> Multi.createFrom().iterable(open)
                                .filter(campaign -> campaign.atlassianSource.equals(decision.atlassianSource)).onItem()
                                .transformToUniAndConcatenate(campaign -> offerTo(campaign, decision)).collect().last())
                        .collect().last().replaceWithVoid());
    }

    private Uni<Void> offerTo(Campaign campaign, ReceivedDecision decision) {
        String[] exclusion = PlanService.exclusion(decision, json.read(decision.flags, JsonColumns.STRING_LIST));
        if (exclusion == null && decision.email == null) {
            exclusion = new String[]{"NO_EMAIL", "The Atlassian account has no email: add-users needs one"};
        }
        String[] excluded = exclusion;
        Instant now = Instant.now();
        return CampaignUser.<CampaignUser>find("campaignId = ?1 and accountId = ?2", campaign.id, decision.accountId)
                .firstResult().flatMap(existing -> {
                    if (existing != null && !NOT_STARTED.contains(existing.state)) {
                        return Uni.createFrom().voidItem(); // already under way or done: a newer decision is for the operator
                    }
                    Uni<CampaignUser> user = existing != null ? Uni.createFrom().item(existing) : newUser(campaign, decision);
                    return user.flatMap(u -> {
                        u.email = decision.email;
                        u.displayName = decision.displayName;
                        u.idpUserId = decision.idpUserId;
                        u.plannedFromPolicy = decision.currentPolicy;
                        u.updatedAt = now;
                        Integer previousWave = u.wave;
                        if (excluded != null) {
                            u.state = CampaignUser.State.EXCLUDED;
                            u.category = excluded[0];
                            u.reason = excluded[1];
                            u.wave = null;
                            return leaveWave(campaign, previousWave).replaceWith(u);
                        }
                        u.category = "MOVE";
                        u.reason = null;
                        if (u.state == CampaignUser.State.PENDING) {
                            return Uni.createFrom().item(u); // still movable: keeps its wave
                        }
                        if (campaign.autoApprove) {
                            return joinWave(campaign, u).replaceWith(u);
                        }
                        u.state = CampaignUser.State.AWAITING_APPROVAL;
                        return Uni.createFrom().item(u);
                    }).flatMap(u -> Panache.getSession().flatMap(session -> session.merge(u))).replaceWithVoid();
                })
                .flatMap(x -> recount(campaign));
    }

    private Uni<CampaignUser> newUser(Campaign campaign, ReceivedDecision decision) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "select coalesce(max(u.position), 0) from CampaignUser u where u.campaignId = :c", Integer.class)
                .setParameter("c", campaign.id).getSingleResult()).map(last -> {
            CampaignUser user = new CampaignUser();
            user.id = UUID.randomUUID();
            user.campaignId = campaign.id;
            user.position = last + 1;
            user.accountId = decision.accountId;
            user.state = CampaignUser.State.EXCLUDED;
            return user;
        });
    }

    /** Approves waiting users (all of them when {@code accountIds} is empty): they join the next wave. */
    public Uni<Integer> approve(UUID campaignId, List<String> accountIds, String actor) {
        return Panache.withTransaction(() -> Campaign.<Campaign>findById(campaignId).flatMap(campaign -> {
            if (campaign == null) {
                throw new jakarta.ws.rs.NotFoundException("No campaign " + campaignId);
            }
            if (!campaign.continuous) {
                throw new InvalidInputException(409, "Campaign '" + campaign.name + "' is not continuous: nothing awaits approval",
                        List.of());
            }
            Uni<List<CampaignUser>> waiting = accountIds == null || accountIds.isEmpty()
                    ? CampaignUser.list("campaignId = ?1 and state = ?2", Sort.by("position"), campaignId,
                    CampaignUser.State.AWAITING_APPROVAL)
                    : CampaignUser.list("campaignId = ?1 and state = ?2 and (accountId in ?3 or email in ?3)", Sort.by("position"),
                    campaignId, CampaignUser.State.AWAITING_APPROVAL, accountIds);
            return waiting.flatMap(users -> Multi.createFrom().iterable(users).onItem()
                            .transformToUniAndConcatenate(user -> joinWave(campaign, user)).collect().last()
                            .flatMap(x -> recount(campaign))
                            .flatMap(x -> Panache.getSession())
                            .flatMap(session -> session.persist(audit.decision(actor, campaignId, null, "APPROVE", "OK",
                                    users.size() + " waiting users approved")))
                            .replaceWith(users.size()));
        }));
    }

    /** Puts the user into the last wave if it has not started and has room, else into a new wave. */
    private Uni<Void> joinWave(Campaign campaign, CampaignUser user) {
        return CampaignWave.<CampaignWave>find("campaignId", Sort.descending("number"), campaign.id).firstResult()
                .flatMap(last -> {
                    // A guarded update: the engine may start that wave at any moment, and then it is closed to newcomers.
                    Uni<Integer> joined = last == null ? Uni.createFrom().item(0)
                            : CampaignWave.update("size = size + 1 where campaignId = ?1 and number = ?2 and state = ?3"
                                    + " and size < ?4", campaign.id, last.number, CampaignWave.State.PENDING,
                            last.number == 1 ? campaign.canarySize : campaign.waveSize);
                    return joined.flatMap(updated -> {
                        user.state = CampaignUser.State.PENDING;
                        if (updated == 1) {
                            user.wave = last.number;
                            return Uni.createFrom().voidItem();
                        }
                        CampaignWave next = new CampaignWave();
                        next.campaignId = campaign.id;
                        next.number = last == null ? 1 : last.number + 1;
                        next.state = CampaignWave.State.PENDING;
                        next.size = 1;
                        user.wave = next.number;
                        return Panache.getSession().flatMap(session -> session.persist(next));
                    });
                });
    }

    private Uni<Void> leaveWave(Campaign campaign, Integer wave) {
        if (wave == null) {
            return Uni.createFrom().voidItem();
        }
        return CampaignWave.update("size = size - 1 where campaignId = ?1 and number = ?2", campaign.id, wave).replaceWithVoid();
    }

    /** Keeps the campaign's totals in step with its users (an update of those columns only: the engine owns the state). */
    private Uni<Void> recount(Campaign campaign) {
        return Panache.getSession().flatMap(session -> session.flush()).flatMap(x -> Campaign.update(
                "moves = (select count(u) from CampaignUser u where u.campaignId = ?1 and u.state <> ?2),"
                        + " excluded = (select count(u) from CampaignUser u where u.campaignId = ?1 and u.state = ?2),"
                        + " waves = (select count(w) from CampaignWave w where w.campaignId = ?1), updatedAt = ?3 where id = ?1",
                campaign.id, CampaignUser.State.EXCLUDED, Instant.now())).replaceWithVoid();
    }
}
