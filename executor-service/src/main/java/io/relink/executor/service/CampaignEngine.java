package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import jakarta.enterprise.event.Observes;
import io.relink.events.CampaignStateChanged;
import io.relink.events.EventTypes;
import io.relink.events.Topics;
import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import io.relink.executor.CampaignUser.State;
import io.relink.executor.CampaignUser.Step;
import io.relink.executor.CampaignWave;
import io.relink.executor.client.AuthPolicyClient;
import io.relink.executor.client.EntraScopeClient;
import io.relink.executor.client.ScimLinkClient;
import io.relink.executor.config.ExecutorConfig;
import io.relink.executor.repository.CampaignRepository;
import io.relink.executor.repository.CampaignUserRepository;
import io.relink.support.client.ApiException;
import io.relink.support.messaging.Outbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Drives running campaigns forward, one tick at a time, wave by wave. Every user moves through
 * PENDING → READY → SCOPED → LINKED → POLICY_REQUESTED → MOVED (or FAILED, dead-lettered).
 *
 * <p>Exactly-once effect: before a call that changes something, the user is committed in an *_IN_FLIGHT state;
 * after the answer, the result is committed. A user found in flight after a crash is never sent the call again
 * blindly: its state is read back from the API first (group membership, current policy).
 */
@ApplicationScoped
public class CampaignEngine {

    private static final Logger LOG = Logger.getLogger(CampaignEngine.class);

    /** Who holds a campaign's lease: host (the pod's name in Kubernetes) and process, so an operator can find it. */
    private final String replica = replicaName();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private io.vertx.core.Vertx vertx;
    private long timer;
    private final CampaignRepository campaigns;
    private final CampaignUserRepository users;
    private final EntraScopeClient scope;
    private final ScimLinkClient scim;
    private final AuthPolicyClient policies;
    private final AuditTrail audit;
    private final Outbox outbox;
    private final ExecutorConfig.Engine config;
    private final CampaignMetrics metrics;

    public CampaignEngine(CampaignRepository campaigns, CampaignUserRepository users, EntraScopeClient scope,
                          ScimLinkClient scim, AuthPolicyClient policies, AuditTrail audit, Outbox outbox,
                          ExecutorConfig config, CampaignMetrics metrics) {
        this.metrics = metrics;
        this.campaigns = campaigns;
        this.users = users;
        this.scope = scope;
        this.scim = scim;
        this.policies = policies;
        this.audit = audit;
        this.outbox = outbox;
        this.config = config.engine();
    }

    /**
     * Ticks on a Vert.x timer rather than {@code @Scheduled}, which cannot run more often than once a second.
     * A tick that is still running when the next is due is skipped. Each tick gets a fresh duplicated context, as
     * Hibernate Reactive requires.
     */
    void onStart(@Observes StartupEvent started, io.vertx.core.Vertx vertx) {
        LOG.infof("Campaign engine replica %s", replica);
        timer = vertx.setPeriodic(config.startDelay().toMillis(), config.tick().toMillis(), id -> {
            if (!ticking.compareAndSet(false, true)) {
                return;
            }
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> tick().subscribe().with(done -> ticking.set(false), failure -> ticking.set(false)));
        });
        this.vertx = vertx;
    }

    void onStop(@Observes ShutdownEvent stopping) {
        if (vertx != null) {
            vertx.cancelTimer(timer);
        }
    }

    private static String replicaName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    Uni<Void> tick() {
        return Panache.withSession(campaigns::activeIds)
                .flatMap(ids -> Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(this::advance)
                        .collect().last())
                .onFailure().invoke(e -> LOG.warnf(e, "Campaign tick failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One step forward for one campaign, if this replica holds (or can take) its lease. */
    public Uni<Void> advance(UUID campaignId) {
        return Panache.withTransaction(() -> campaigns.tryLease(campaignId, replica, Instant.now().plus(config.lease())))
                .flatMap(leased -> !leased ? Uni.createFrom().voidItem()
                        : Panache.withSession(() -> campaigns.findById(campaignId)).flatMap(campaign -> (switch (campaign.state) {
                            case RUNNING -> runWave(campaign);
                            case ROLLING_BACK -> rollBack(campaign);
                            default -> Uni.createFrom().voidItem();
                        }).flatMap(x -> !metrics.refreshDue(campaign.id, config.metricsRefresh()) ? Uni.createFrom().voidItem()
                                : Panache.withSession(() -> users.countByState(campaign.id, null))
                                .invoke(counts -> metrics.campaignUsers(campaign, counts)).replaceWithVoid())))
                .onFailure().invoke(e -> LOG.warnf(e, "Campaign %s: step failed, will retry: %s", campaignId, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    // ---- waves -----------------------------------------------------------------------------------------------

    private Uni<Void> runWave(Campaign campaign) {
        return recover(campaign)
                .flatMap(ignored -> Panache.withSession(() -> users.currentWave(campaign.id)))
                .flatMap(wave -> {
                    if (wave == null) {
                        return finishCampaign(campaign);
                    }
                    return startWave(campaign, wave).flatMap(row -> {
                        Duration running = Duration.between(row.startedAt, Instant.now());
                        if (row.state == CampaignWave.State.RUNNING && running.getSeconds() > campaign.maxWaveSeconds) {
                            return halt(campaign, row, "Wave " + wave + " has run for " + running.toMinutes()
                                    + " min, longer than its maximum of " + campaign.maxWaveSeconds / 60 + " min");
                        }
                        // The steps use different APIs (and limits): run them side by side so none waits for another.
                        return Uni.combine().all().unis(
                                        isolated(() -> precheck(campaign, wave)),
                                        isolated(() -> addToScope(campaign, wave)),
                                        isolated(() -> checkLinks(campaign, wave)),
                                        isolated(() -> submitPolicy(campaign, wave).flatMap(x -> pollTasks(campaign, wave))))
                                .discardItems()
                                .flatMap(x -> judgeWave(campaign, row));
                    });
                });
    }

    private Uni<CampaignWave> startWave(Campaign campaign, int number) {
        return Panache.withTransaction(() -> campaigns.wave(campaign.id, number).flatMap(row -> {
            if (row.state != CampaignWave.State.PENDING) {
                return Uni.createFrom().item(row);
            }
            row.state = CampaignWave.State.RUNNING;
            row.startedAt = Instant.now();
            return Panache.getSession()
                    .flatMap(session -> session.persist(audit.decision(AuditTrail.SYSTEM, campaign.id, number, "WAVE_STARTED",
                            "OK", (number == 1 ? "Canary wave" : "Wave " + number) + " of " + campaign.waves + ": "
                                    + row.size + " users")))
                    .replaceWith(row);
        }));
    }

    /** A finished wave passes or halts the campaign on its exit criteria. */
    private Uni<Void> judgeWave(Campaign campaign, CampaignWave wave) {
        return Panache.withSession(() -> users.countByState(campaign.id, wave.number)).flatMap(counts -> {
            long open = CampaignUserRepository.OPEN.stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
            if (open > 0 || wave.state != CampaignWave.State.RUNNING) {
                return Uni.createFrom().voidItem();
            }
            long failed = counts.getOrDefault(State.FAILED, 0L);
            double rate = wave.size == 0 ? 0 : (double) failed / wave.size;
            String summary = String.format(Locale.ROOT, "%d moved, %d skipped, %d failed of %d (%.1f%% failed, maximum %.1f%%)",
                    counts.getOrDefault(State.MOVED, 0L), counts.getOrDefault(State.SKIPPED, 0L), failed, wave.size,
                    rate * 100, campaign.maxFailureRate * 100);
            if (rate > campaign.maxFailureRate) {
                return halt(campaign, wave, "Wave " + wave.number + " breached its failure limit: " + summary);
            }
            return Panache.withTransaction(() -> campaigns.wave(campaign.id, wave.number).flatMap(row -> {
                row.state = CampaignWave.State.PASSED;
                row.finishedAt = Instant.now();
                row.outcome = summary;
                return Panache.getSession().flatMap(session -> session.persist(audit.decision(AuditTrail.SYSTEM,
                        campaign.id, wave.number, "WAVE_PASSED", "OK", summary)));
            }));
        });
    }

    private Uni<Void> halt(Campaign campaign, CampaignWave wave, String reason) {
        metrics.invalidate(campaign.id); // the gauges must show the final counts
        LOG.warnf("Campaign %s halted: %s", campaign.name, reason);
        return Panache.withTransaction(() -> campaigns.transition(campaign.id, List.of(Campaign.State.RUNNING),
                Campaign.State.HALTED, reason).flatMap(changed -> {
            if (!changed) {
                return Uni.createFrom().voidItem();
            }
            return campaigns.wave(campaign.id, wave.number).flatMap(row -> {
                row.state = CampaignWave.State.HALTED;
                row.outcome = reason;
                return Panache.getSession().flatMap(session -> session.persist(
                                audit.decision(AuditTrail.SYSTEM, campaign.id, wave.number, "HALT", "HALTED", reason)))
                        .flatMap(x -> stateEvent(campaign, Campaign.State.HALTED, Campaign.State.RUNNING, reason, AuditTrail.SYSTEM));
            });
        }));
    }

    private Uni<Void> finishCampaign(Campaign campaign) {
        metrics.invalidate(campaign.id); // the gauges must show the final counts
        if (campaign.continuous) {
            return Uni.createFrom().voidItem(); // stays open for accounts matched later
        }
        return Panache.withSession(() -> users.countByState(campaign.id, null)).flatMap(counts -> {
            String summary = String.format(Locale.ROOT, "%d moved, %d skipped, %d failed, %d excluded",
                    counts.getOrDefault(State.MOVED, 0L), counts.getOrDefault(State.SKIPPED, 0L),
                    counts.getOrDefault(State.FAILED, 0L), counts.getOrDefault(State.EXCLUDED, 0L));
            return Panache.withTransaction(() -> campaigns.transition(campaign.id, List.of(Campaign.State.RUNNING),
                    Campaign.State.COMPLETED, summary).flatMap(changed -> !changed ? Uni.createFrom().voidItem()
                    : Panache.getSession().flatMap(session -> session.persist(audit.decision(AuditTrail.SYSTEM, campaign.id,
                            null, "COMPLETE", "COMPLETED", summary)))
                    .flatMap(x -> stateEvent(campaign, Campaign.State.COMPLETED, Campaign.State.RUNNING, summary,
                            AuditTrail.SYSTEM))));
        });
    }

    Uni<Void> stateEvent(Campaign campaign, Campaign.State state, Campaign.State previous, String reason, String actor) {
        return outbox.append(Topics.CAMPAIGN, campaign.id.toString(), EventTypes.CAMPAIGN_STATE_CHANGED_V1,
                new CampaignStateChanged(campaign.id.toString(), campaign.name, campaign.atlassianSource, state.name(),
                        previous == null ? null : previous.name(), reason, actor));
    }

    // ---- step 0: read the current policy (the rollback target) -------------------------------------------------

    private Uni<Void> precheck(Campaign campaign, int wave) {
        int batch = config.policyBatchSize();
        return batches(campaign, wave, State.PENDING, null, batch, chunk -> {
            UserChanges changes = new UserChanges(campaign).track(chunk);
            Instant now = Instant.now();
            List<String> emails = chunk.stream().filter(u -> u.email != null).map(u -> u.email).toList();
            return audit.call(changes.audit, campaign.id, wave, null, "READ_POLICIES",
                            "POST /admin/control/v1/orgs/{org}/users/auth-policies/bulk-fetch (" + emails.size() + " users)",
                            () -> emails.isEmpty() ? Uni.createFrom().item(Map.<String, AuthPolicyClient.Policy>of())
                                    : policies.currentPolicies(emails))
                    .map(found -> {
                        for (CampaignUser user : chunk) {
                            AuthPolicyClient.Policy current = user.email == null ? null : found.get(lower(user.email));
                            if (current == null) {
                                changes.failed(user, Step.PRECHECK, "NOT_FOUND",
                                        "Atlassian has no managed account with the email " + user.email, 1, now);
                            } else {
                                user.originalPolicyId = current.id();
                                user.originalPolicyName = current.name();
                                if (current.id().equals(campaign.targetPolicyId)) {
                                    changes.skipped(user, "Already on '" + campaign.targetPolicyName + "'");
                                } else {
                                    user.state = State.READY;
                                }
                            }
                            user.updatedAt = now;
                        }
                        return changes;
                    })
                    .onFailure().recoverWithItem(failure -> failAll(changes, chunk, Step.PRECHECK, failure));
        });
    }

    // ---- step 1: put the user into the Entra app's provisioning scope ----------------------------------------

    private Uni<Void> addToScope(Campaign campaign, int wave) {
        int batch = campaign.scopeKind == Campaign.ScopeKind.GROUP ? EntraScopeClient.MAX_BIND : 1;
        return batches(campaign, wave, State.READY, State.SCOPE_IN_FLIGHT, batch, marked -> {
            UserChanges changes = new UserChanges(campaign).track(marked);
            Uni<Void> work = campaign.scopeKind == Campaign.ScopeKind.GROUP
                    ? addGroupMembers(campaign, wave, marked, changes)
                    : assignAppRoles(campaign, wave, marked, changes);
            return work.replaceWith(changes);
        });
    }

    private Uni<Void> addGroupMembers(Campaign campaign, int wave, List<CampaignUser> chunk, UserChanges changes) {
        if (chunk.size() == 1) {
            return addOneByOne(campaign, wave, chunk, changes);
        }
        List<String> ids = chunk.stream().map(u -> u.idpUserId).toList();
        return audit.call(changes.audit, campaign.id, wave, null, "ADD_TO_SCOPE",
                        "PATCH /v1.0/groups/" + campaign.scopeId + " members@odata.bind (" + ids.size() + " users)",
                        () -> scope.addMembers(campaign.scopeId, ids))
                .invoke(() -> chunk.forEach(user -> scoped(user, true)))
                // One existing member (or one unknown user) fails a whole bind: add those users one by one instead.
                .onFailure(e -> e instanceof ApiException api && api.status() >= 400 && api.status() < 500)
                .recoverWithUni(() -> addOneByOne(campaign, wave, chunk, changes))
                .onFailure().invoke(failure -> failAll(changes, chunk, Step.ADD_TO_SCOPE, failure))
                .onFailure().recoverWithNull();
    }

    /** Single adds: "already a member" counts as done (and marks the membership as not the campaign's). */
    private Uni<Void> addOneByOne(Campaign campaign, int wave, List<CampaignUser> users, UserChanges changes) {
        return Multi.createFrom().iterable(users).onItem().transformToUni(user -> audit.call(changes.audit,
                                campaign.id, wave, user.accountId, "ADD_TO_SCOPE",
                                "POST /v1.0/groups/" + campaign.scopeId + "/members/$ref",
                                () -> scope.addMember(campaign.scopeId, user.idpUserId))
                        .invoke(added -> scoped(user, added == EntraScopeClient.Added.ADDED))
                        .onFailure().invoke(failure -> changes.failed(user, Step.ADD_TO_SCOPE, failure, Instant.now()))
                        .onFailure().recoverWithNull())
                .merge(EntraScopeClient.MAX_BIND).collect().last().replaceWithVoid();
    }

    private Uni<Void> assignAppRoles(Campaign campaign, int wave, List<CampaignUser> chunk, UserChanges changes) {
        return Multi.createFrom().iterable(chunk).onItem().transformToUni(user -> audit.call(changes.audit, campaign.id, wave,
                                user.accountId, "ADD_TO_SCOPE", "POST /v1.0/servicePrincipals/" + campaign.scopeId + "/appRoleAssignedTo",
                                () -> scope.assignAppRole(campaign.scopeId, campaign.appRoleId, user.idpUserId))
                        .invoke(assignmentId -> {
                            user.scopeRef = assignmentId;
                            scoped(user, assignmentId != null);
                        })
                        .onFailure().invoke(failure -> changes.failed(user, Step.ADD_TO_SCOPE, failure, Instant.now()))
                        .onFailure().recoverWithNull())
                .merge(EntraScopeClient.MAX_BIND).collect().last().replaceWithVoid();
    }

    private void scoped(CampaignUser user, Boolean addedByCampaign) {
        Instant now = Instant.now();
        user.state = State.SCOPED;
        user.scopeAdded = addedByCampaign;
        user.stepStartedAt = now;
        user.linkChecks = 0;
        user.nextCheckAt = now.plus(config.linkCheckFirst());
        user.updatedAt = now;
    }

    // ---- step 2: wait until Entra provisioning has linked the existing account through SCIM --------------------

    private Uni<Void> checkLinks(Campaign campaign, int wave) {
        Instant now = Instant.now();
        return Panache.withSession(() -> users.due(campaign.id, wave, State.SCOPED, now, config.linkChecksPerTick()))
                .flatMap(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    UserChanges changes = new UserChanges(campaign).track(due);
                    return Multi.createFrom().iterable(due).onItem().transformToUni(user -> audit.call(changes.audit,
                                            campaign.id, wave, user.accountId, "CHECK_SCIM_LINK",
                                            "GET /scim/directory/{directory}/Users?filter=userName eq \"…\"",
                                            () -> scim.byUserName(user.email))
                                    .invoke(found -> linkResult(changes, user, found.orElse(null)))
                                    .onFailure().invoke(failure -> changes.failed(user, Step.WAIT_FOR_LINK, failure, Instant.now()))
                                    .onFailure().recoverWithNull())
                            .merge(config.linkChecksPerTick()).collect().last()
                            .flatMap(x -> commit(changes));
                });
    }

    private void linkResult(UserChanges changes, CampaignUser user, ScimLinkClient.ScimUser found) {
        Instant now = Instant.now();
        user.updatedAt = now;
        if (found != null && found.active()) {
            if (found.atlassianAccountId() != null && !found.atlassianAccountId().equals(user.accountId)) {
                changes.failed(user, Step.WAIT_FOR_LINK, "DUPLICATE_ACCOUNT", "Entra provisioning created a new account "
                        + found.atlassianAccountId() + " for " + user.email + " instead of linking " + user.accountId, 1, now);
                return;
            }
            if (found.externalId() != null && user.idpUserId != null && !found.externalId().equals(user.idpUserId)) {
                changes.failed(user, Step.WAIT_FOR_LINK, "LINKED_TO_OTHER_USER", "The SCIM record for " + user.email
                        + " belongs to Entra user " + found.externalId() + ", not " + user.idpUserId, 1, now);
                return;
            }
            user.state = State.LINKED;
            user.nextCheckAt = null;
            return;
        }
        if (Duration.between(user.stepStartedAt, now).compareTo(config.linkTimeout()) > 0) {
            changes.failed(user, Step.WAIT_FOR_LINK, "LINK_TIMEOUT", "No active SCIM link for " + user.email + " after "
                    + config.linkTimeout().toMinutes() + " min (" + (user.linkChecks + 1) + " checks): check the"
                    + " provisioning logs of the Entra app", 1, now);
            return;
        }
        user.linkChecks++;
        long backoff = Math.min(config.linkCheckMaxInterval().toMillis(),
                config.linkCheckFirst().toMillis() << Math.min(user.linkChecks, 16));
        user.nextCheckAt = now.plusMillis(backoff);
    }

    // ---- step 3: add to the target authentication policy, then follow the task -------------------------------

    private Uni<Void> submitPolicy(Campaign campaign, int wave) {
        return batches(campaign, wave, State.LINKED, State.POLICY_IN_FLIGHT, config.policyBatchSize(),
                marked -> {
                    UserChanges changes = new UserChanges(campaign).track(marked);
                    List<String> emails = marked.stream().map(u -> u.email).toList();
                    return audit.call(changes.audit, campaign.id, wave, marked.size() == 1 ? marked.get(0).accountId : null,
                                    "ADD_TO_POLICY", "POST /admin/control/v1/orgs/{org}/auth-policy/" + campaign.targetPolicyId
                                            + "/add-users (" + emails.size() + " users)",
                                    () -> policies.addUsers(campaign.targetPolicyId, emails))
                            .map(taskId -> {
                                Instant now = Instant.now();
                                marked.forEach(user -> {
                                    user.state = State.POLICY_REQUESTED;
                                    user.policyTaskId = taskId;
                                    user.stepStartedAt = now;
                                    user.nextCheckAt = now.plus(config.taskPollInterval());
                                    user.updatedAt = now;
                                });
                                return changes;
                            })
                            .onFailure().recoverWithItem(failure -> failAll(changes, marked, Step.ADD_TO_POLICY, failure));
                });
    }

    private Uni<Void> pollTasks(Campaign campaign, int wave) {
        Instant now = Instant.now();
        int limit = config.policyBatchSize() * config.batchesPerTick();
        return Panache.withSession(() -> users.due(campaign.id, wave, State.POLICY_REQUESTED, now, limit)).flatMap(due -> {
            Map<String, List<CampaignUser>> byTask = new LinkedHashMap<>();
            due.forEach(user -> byTask.computeIfAbsent(user.policyTaskId, t -> new ArrayList<>()).add(user));
            return Multi.createFrom().iterable(byTask.entrySet()).onItem().transformToUniAndMerge(task -> {
                UserChanges changes = new UserChanges(campaign).track(task.getValue());
                return audit.call(changes.audit, campaign.id, wave, null, "POLICY_TASK",
                                "GET /admin/control/v1/orgs/{org}/auth-policy/task/" + task.getKey(),
                                () -> policies.task(task.getKey()))
                        .flatMap(status -> taskResult(campaign, wave, changes, task.getValue(), status))
                        .onFailure().recoverWithUni(failure -> {
                            // The move may have happened: never fail a user on a read error; look again later.
                            task.getValue().forEach(user -> {
                                user.nextCheckAt = Instant.now().plus(config.taskPollInterval());
                                user.lastError = failure.getMessage();
                            });
                            return Uni.createFrom().voidItem();
                        })
                        .replaceWith(changes);
            }).collect().asList().flatMap(this::commitAll);
        });
    }

    private Uni<Void> taskResult(Campaign campaign, int wave, UserChanges changes, List<CampaignUser> batch,
                                 AuthPolicyClient.TaskStatus status) {
        Instant now = Instant.now();
        if (!status.done()) {
            batch.forEach(user -> user.nextCheckAt = now.plus(config.taskPollInterval()));
            return Uni.createFrom().voidItem();
        }
        List<CampaignUser> unexplained = new ArrayList<>();
        for (CampaignUser user : batch) {
            String reason = status.failures().get(lower(user.email));
            if (reason != null) {
                changes.failed(user, Step.ADD_TO_POLICY, "POLICY_REJECTED", reason, 1, now);
            } else if (status.unnamedFailures() > 0) {
                unexplained.add(user);
            } else {
                changes.moved(user, now);
            }
            user.updatedAt = now;
        }
        if (unexplained.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // The task failed some users without naming them: read each one's policy rather than guess.
        List<String> emails = unexplained.stream().map(u -> u.email).toList();
        return audit.call(changes.audit, campaign.id, wave, null, "READ_POLICIES",
                        "POST /admin/control/v1/orgs/{org}/users/auth-policies/bulk-fetch (" + emails.size() + " users)",
                        () -> policies.currentPolicies(emails))
                .invoke(found -> unexplained.forEach(user -> {
                    AuthPolicyClient.Policy current = found.get(lower(user.email));
                    if (current != null && current.id().equals(campaign.targetPolicyId)) {
                        changes.moved(user, now);
                    } else {
                        changes.failed(user, Step.ADD_TO_POLICY, "POLICY_REJECTED", "The policy task reported "
                                + status.unnamedFailures() + " failures without naming the users; " + user.email
                                + " is still on '" + (current == null ? "no policy" : current.name()) + "'", 1, now);
                    }
                }))
                .onFailure().invoke(failure -> unexplained.forEach(user -> user.nextCheckAt = now.plus(config.taskPollInterval())))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    // ---- crash recovery ------------------------------------------------------------------------------------------

    /** Users a crash left in flight: read back what happened; only what provably did not happen is done again. */
    private Uni<Void> recover(Campaign campaign) {
        Instant before = Instant.now().minus(config.inFlightGrace());
        int limit = config.policyBatchSize();
        Uni<Void> scopes = Panache.withSession(() -> users.stale(campaign.id, State.SCOPE_IN_FLIGHT, before, limit))
                .flatMap(stale -> {
                    if (stale.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    UserChanges changes = new UserChanges(campaign).track(stale);
                    return Multi.createFrom().iterable(stale).onItem().transformToUni(user -> recoverScope(campaign, changes, user))
                            .merge(EntraScopeClient.MAX_BIND).collect().last().flatMap(x -> commit(changes));
                });
        Uni<Void> moves = Panache.withSession(() -> users.stale(campaign.id, State.POLICY_IN_FLIGHT, before, limit))
                .flatMap(stale -> {
                    if (stale.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    UserChanges changes = new UserChanges(campaign).track(stale);
                    List<String> emails = stale.stream().map(u -> u.email).toList();
                    return audit.call(changes.audit, campaign.id, null, null, "RECOVER_POLICY",
                                    "POST /admin/control/v1/orgs/{org}/users/auth-policies/bulk-fetch (" + emails.size() + " users)",
                                    () -> policies.currentPolicies(emails))
                            .invoke(found -> stale.forEach(user -> {
                                AuthPolicyClient.Policy current = found.get(lower(user.email));
                                if (current != null && current.id().equals(campaign.targetPolicyId)) {
                                    changes.moved(user, Instant.now());
                                } else {
                                    user.state = State.LINKED; // the add-users call never took effect: send it again
                                }
                                user.updatedAt = Instant.now();
                            }))
                            .onFailure().recoverWithNull()
                            .flatMap(x -> commit(changes));
                });
        return scopes.flatMap(x -> moves);
    }

    private Uni<Void> recoverScope(Campaign campaign, UserChanges changes, CampaignUser user) {
        if (campaign.scopeKind != Campaign.ScopeKind.GROUP) {
            user.state = State.READY; // a repeated assignment answers "already exists" and is counted as done
            user.updatedAt = Instant.now();
            return Uni.createFrom().voidItem();
        }
        return audit.call(changes.audit, campaign.id, user.wave, user.accountId, "RECOVER_SCOPE",
                        "POST /v1.0/users/{id}/checkMemberGroups", () -> scope.isMember(campaign.scopeId, user.idpUserId))
                .invoke(member -> {
                    if (member) {
                        // Added, but the answer was lost: whether by us is unknown, so a rollback will keep it.
                        scoped(user, null);
                    } else {
                        user.state = State.READY;
                        user.updatedAt = Instant.now();
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    // ---- rollback --------------------------------------------------------------------------------------------

    /** Puts users back on their recorded original policy, then removes the scope memberships this campaign added. */
    private Uni<Void> rollBack(Campaign campaign) {
        int limit = config.policyBatchSize();
        return Panache.withSession(() -> CampaignUser.<CampaignUser>find("campaignId = ?1 and state = ?2",
                        io.quarkus.panache.common.Sort.by("position"), campaign.id, State.ROLLBACK_PENDING)
                .page(io.quarkus.panache.common.Page.ofSize(limit)).list()).flatMap(pending -> {
            if (pending.isEmpty()) {
                return finishRollback(campaign);
            }
            UserChanges changes = new UserChanges(campaign).track(pending);
            Map<String, List<CampaignUser>> byPolicy = new LinkedHashMap<>();
            pending.stream().filter(u -> u.restorePolicy)
                    .forEach(u -> byPolicy.computeIfAbsent(u.originalPolicyId, p -> new ArrayList<>()).add(u));
            List<CampaignUser> failed = new ArrayList<>();
            Uni<Void> restore = Multi.createFrom().iterable(byPolicy.entrySet()).onItem().transformToUniAndConcatenate(group ->
                            restorePolicy(campaign, changes, group.getKey(), group.getValue())
                                    .onFailure().invoke(failure -> group.getValue().forEach(user -> {
                                        failed.add(user);
                                        changes.failed(user, Step.ROLLBACK, failure, Instant.now());
                                    }))
                                    .onFailure().recoverWithNull())
                    .collect().last().replaceWithVoid();
            return restore.flatMap(x -> Multi.createFrom().iterable(pending).filter(user -> !failed.contains(user))
                            .onItem().transformToUni(user -> removeScope(campaign, changes, user))
                            .merge(EntraScopeClient.MAX_BIND).collect().last())
                    .flatMap(x -> commit(changes));
        });
    }

    private Uni<Void> restorePolicy(Campaign campaign, UserChanges changes, String policyId, List<CampaignUser> group) {
        List<String> emails = group.stream().map(u -> u.email).toList();
        return audit.call(changes.audit, campaign.id, null, null, "ROLLBACK_POLICY",
                        "POST /admin/control/v1/orgs/{org}/auth-policy/" + policyId + "/add-users (" + emails.size() + " users)",
                        () -> policies.addUsers(policyId, emails))
                .flatMap(taskId -> awaitTask(campaign, changes, taskId, Instant.now().plus(config.linkTimeout())))
                .invoke(status -> group.forEach(user -> {
                    String reason = status.failures().get(lower(user.email));
                    if (reason != null) {
                        changes.failed(user, Step.ROLLBACK, "POLICY_REJECTED", reason, 1, Instant.now());
                    }
                }))
                .replaceWithVoid();
    }

    private Uni<AuthPolicyClient.TaskStatus> awaitTask(Campaign campaign, UserChanges changes, String taskId, Instant deadline) {
        return audit.call(changes.audit, campaign.id, null, null, "POLICY_TASK",
                        "GET /admin/control/v1/orgs/{org}/auth-policy/task/" + taskId, () -> policies.task(taskId))
                .flatMap(status -> {
                    if (status.done()) {
                        return Uni.createFrom().item(status);
                    }
                    if (Instant.now().isAfter(deadline)) {
                        return Uni.createFrom().failure(new ApiException("Policy task " + taskId + " did not finish in time",
                                0, "TASK_TIMEOUT"));
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(config.taskPollInterval())
                            .flatMap(x -> awaitTask(campaign, changes, taskId, deadline));
                });
    }

    private Uni<Void> removeScope(Campaign campaign, UserChanges changes, CampaignUser user) {
        if (user.state == State.ROLLBACK_FAILED) {
            return Uni.createFrom().voidItem();
        }
        String restored = user.restorePolicy ? "back on '" + user.originalPolicyName + "'" : "policy unchanged";
        if (!Boolean.TRUE.equals(user.scopeAdded)) {
            changes.rolledBack(user, true, restored + (user.scopeAdded == null
                    ? "; scope membership kept (unknown whether this campaign added it)"
                    : "; scope membership kept (it predates the campaign)"));
            return Uni.createFrom().voidItem();
        }
        Uni<Void> remove = campaign.scopeKind == Campaign.ScopeKind.GROUP
                ? audit.call(changes.audit, campaign.id, user.wave, user.accountId, "ROLLBACK_SCOPE",
                "DELETE /v1.0/groups/" + campaign.scopeId + "/members/{id}/$ref", () -> scope.removeMember(campaign.scopeId, user.idpUserId))
                : audit.call(changes.audit, campaign.id, user.wave, user.accountId, "ROLLBACK_SCOPE",
                "DELETE /v1.0/servicePrincipals/" + campaign.scopeId + "/appRoleAssignedTo/{assignment}",
                () -> scope.removeAppRoleAssignment(campaign.scopeId, user.scopeRef));
        return remove.invoke(() -> changes.rolledBack(user, true, restored + "; removed from the Entra scope"))
                .onFailure().invoke(failure -> changes.failed(user, Step.ROLLBACK, failure, Instant.now()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> finishRollback(Campaign campaign) {
        metrics.invalidate(campaign.id); // the gauges must show the final counts
        return Panache.withSession(() -> users.countByState(campaign.id, null)).flatMap(counts -> {
            long open = CampaignUserRepository.OPEN.stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
            // A whole-campaign rollback ends ROLLED_BACK; after a single wave the campaign waits, paused, for the operator.
            Campaign.State next = open == 0 ? Campaign.State.ROLLED_BACK : Campaign.State.PAUSED;
            String summary = String.format(Locale.ROOT, "%d rolled back, %d failed to roll back",
                    counts.getOrDefault(State.ROLLED_BACK, 0L), counts.getOrDefault(State.ROLLBACK_FAILED, 0L));
            return Panache.withTransaction(() -> campaigns.transition(campaign.id, List.of(Campaign.State.ROLLING_BACK), next,
                    summary).flatMap(changed -> !changed ? Uni.createFrom().voidItem()
                    : Panache.getSession().flatMap(session -> session.persist(audit.decision(AuditTrail.SYSTEM, campaign.id,
                            null, "ROLLBACK_DONE", next.name(), summary)))
                    .flatMap(x -> stateEvent(campaign, next, Campaign.State.ROLLING_BACK, summary, AuditTrail.SYSTEM))));
        });
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    /**
     * Runs {@code work} on a fresh duplicated Vert.x context: concurrent steps must not share a Hibernate Reactive
     * session, and each context gets its own. The users each step touches are disjoint (by state).
     */
    private Uni<Void> isolated(java.util.function.Supplier<Uni<Void>> work) {
        if (vertx == null) {
            return work.get();
        }
        return Uni.createFrom().deferred(() -> {
            Context caller = io.vertx.core.Vertx.currentContext();
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            Uni<Void> result = Uni.createFrom().emitter(emitter -> context.runOnContext(ignored ->
                    work.get().subscribe().with(emitter::complete, emitter::fail)));
            // Continue where the caller was, so its own session stays usable.
            return caller == null ? result : result.emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }

    /**
     * Takes up to {@code batchesPerTick} batches of users in {@code state}, commits them {@code inFlight} (when the work
     * changes something remotely), runs {@code work} on the batches concurrently (the rate limiter paces the calls) and
     * commits the results one batch after the other (a Hibernate Reactive session must not be shared concurrently).
     */
    private Uni<Void> batches(Campaign campaign, int wave, State state, State inFlight, int batchSize,
                              Function<List<CampaignUser>, Uni<UserChanges>> work) {
        return Panache.withSession(() -> users.inState(campaign.id, wave, state, batchSize * config.batchesPerTick()))
                .flatMap(found -> inFlight == null || found.isEmpty() ? Uni.createFrom().item(found)
                        : markInFlight(campaign, wave, found, state, inFlight))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    List<List<CampaignUser>> chunks = new ArrayList<>();
                    for (int i = 0; i < found.size(); i += batchSize) {
                        chunks.add(found.subList(i, Math.min(i + batchSize, found.size())));
                    }
                    return Multi.createFrom().iterable(chunks).onItem().transformToUniAndMerge(chunk -> work.apply(chunk))
                            .collect().asList()
                            .flatMap(this::commitAll);
                });
    }

    private Uni<Void> commitAll(List<UserChanges> all) {
        return Multi.createFrom().iterable(all).onItem().transformToUniAndConcatenate(this::commit)
                .collect().last().replaceWithVoid();
    }

    /**
     * Commits "a call is about to be sent" for the users still in {@code from}, and returns those. The audit trail
     * records the intent too, so a call whose answer a crash lost still shows up (followed by its recovery).
     */
    private Uni<List<CampaignUser>> markInFlight(Campaign campaign, int wave, List<CampaignUser> chunk, State from,
                                                 State inFlight) {
        Instant now = Instant.now();
        List<UUID> ids = chunk.stream().map(u -> u.id).toList();
        return Panache.withTransaction(() -> users.update("state = ?1, updatedAt = ?2 where id in ?3 and state = ?4",
                        inFlight, now, ids, from)
                .flatMap(updated -> users.list("id in ?1 and state = ?2", ids, inFlight))
                .call(marked -> marked.isEmpty() ? Uni.createFrom().voidItem() : Panache.getSession().flatMap(session ->
                        session.persist(audit.intent(campaign.id, wave, inFlight.step.name(), marked.size())))));
    }

    private static UserChanges failAll(UserChanges changes, List<CampaignUser> batch, Step step, Throwable failure) {
        Instant now = Instant.now();
        batch.forEach(user -> {
            if (!user.state.done()) {
                changes.failed(user, step, failure, now);
                user.updatedAt = now;
            }
        });
        return changes;
    }

    /** Applies the changes of users still in the state they were read in, with their dead letters, events and audit. */
    Uni<Void> commit(UserChanges changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> users.byIds(changes.users.keySet()).flatMap(current -> {
            List<UUID> applied = new ArrayList<>();
            for (CampaignUser managed : current) {
                if (managed.state == changes.expected.get(managed.id)) {
                    changes.users.get(managed.id).copyProgressTo(managed);
                    if (managed.updatedAt == null || managed.state != changes.expected.get(managed.id)) {
                        managed.updatedAt = Instant.now();
                    }
                    applied.add(managed.id);
                } else {
                    LOG.debugf("User %s changed meanwhile (%s), result not applied", managed.accountId, managed.state);
                }
            }
            List<Object> letters = changes.deadLetters.stream().filter(d -> applied.contains(d.userId)).map(Object.class::cast).toList();
            List<UserChanges.Event> events = changes.events.stream().filter(e -> applied.contains(e.userId())).toList();
            return Panache.getSession()
                    .flatMap(session -> letters.isEmpty() ? Uni.createFrom().voidItem() : session.persistAll(letters.toArray()))
                    .flatMap(x -> audit.persist(changes.audit))
                    .invoke(() -> metrics.apiCalls(changes.audit))
                    .flatMap(x -> Multi.createFrom().iterable(events).onItem()
                            .transformToUniAndConcatenate(e -> outbox.append(e.topic(), e.key(), e.type(), e.data()))
                            .collect().last())
                    .replaceWithVoid();
        }));
    }

    private static String lower(String email) {
        return email == null ? "" : email.toLowerCase(Locale.ROOT);
    }
}
