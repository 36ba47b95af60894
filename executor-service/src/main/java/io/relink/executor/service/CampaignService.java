package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import io.relink.executor.CampaignWave;
import io.relink.executor.ReceivedDecision;
import io.relink.executor.config.ExecutorConfig;
import io.relink.executor.repository.CampaignRepository;
import io.relink.executor.repository.CampaignUserRepository;
import io.relink.executor.repository.DecisionRepository;
import io.relink.support.client.ClientsConfig;
import io.relink.support.json.JsonColumns;
import io.relink.support.rest.InvalidInputException;
import io.relink.support.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Campaigns as operators handle them: create, plan (the true dry run), start, pause, resume, abort, roll back. */
@ApplicationScoped
public class CampaignService {

    private final CampaignRepository campaigns;
    private final CampaignUserRepository users;
    private final DecisionRepository decisions;
    private final CampaignEngine engine;
    private final MoveSteps moveSteps;
    private final AuditTrail audit;
    private final ExecutorConfig config;
    private final ClientsConfig clients;
    private final JsonColumns json;

    public CampaignService(CampaignRepository campaigns, CampaignUserRepository users, DecisionRepository decisions,
                           CampaignEngine engine, MoveSteps moveSteps, AuditTrail audit, ExecutorConfig config,
                           ClientsConfig clients, JsonColumns json) {
        this.campaigns = campaigns;
        this.users = users;
        this.decisions = decisions;
        this.engine = engine;
        this.moveSteps = moveSteps;
        this.audit = audit;
        this.config = config;
        this.clients = clients;
        this.json = json;
    }

    /** What an operator sends to create a campaign; everything but the source has a default. */
    public record NewCampaign(String name, String atlassianSource, String targetPolicyId, String targetPolicyName,
                              String scopeKind, String scopeId, String appRoleId, Integer canarySize, Integer waveSize,
                              Double maxFailureRate, String maxWaveDuration, Boolean continuous, Boolean autoApprove) {
    }

    public Uni<CampaignView> create(NewCampaign request, String actor) {
        List<Problem.InputError> errors = new ArrayList<>();
        if (request == null || request.atlassianSource() == null || request.atlassianSource().isBlank()) {
            throw InvalidInputException.of(null, null, "atlassianSource", "atlassianSource is required");
        }
        Campaign campaign = new Campaign();
        campaign.id = UUID.randomUUID();
        campaign.atlassianSource = request.atlassianSource().strip();
        campaign.name = blankOr(request.name(), "Move " + campaign.atlassianSource + " to SSO");
        if (campaign.name.length() > 200) {
            errors.add(new Problem.InputError(null, null, "name", "is longer than 200 characters"));
        }
        campaign.targetPolicyId = blankOr(request.targetPolicyId(), config.targetPolicyId());
        campaign.targetPolicyName = blankOr(request.targetPolicyName(),
                campaign.targetPolicyId.equals(config.targetPolicyId()) ? config.targetPolicy() : campaign.targetPolicyId);
        try {
            campaign.scopeKind = Campaign.ScopeKind.valueOf(blankOr(request.scopeKind(), "GROUP").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.InputError(null, null, "scopeKind", "must be GROUP or APP_ROLE, not '" + request.scopeKind() + "'"));
            campaign.scopeKind = Campaign.ScopeKind.GROUP;
        }
        campaign.scopeId = blankOr(request.scopeId(), config.entraScopeGroupId());
        campaign.appRoleId = request.appRoleId();
        if (campaign.scopeKind == Campaign.ScopeKind.APP_ROLE && (campaign.appRoleId == null || campaign.appRoleId.isBlank())) {
            errors.add(new Problem.InputError(null, null, "appRoleId", "is required when scopeKind is APP_ROLE"));
        }
        ExecutorConfig.CampaignDefaults defaults = config.campaigns();
        campaign.canarySize = request.canarySize() == null ? defaults.canarySize() : request.canarySize();
        campaign.waveSize = request.waveSize() == null ? defaults.waveSize() : request.waveSize();
        campaign.maxFailureRate = request.maxFailureRate() == null ? defaults.maxFailureRate() : request.maxFailureRate();
        if (campaign.canarySize < 1) {
            errors.add(new Problem.InputError(null, null, "canarySize", "must be at least 1"));
        }
        if (campaign.waveSize < 1) {
            errors.add(new Problem.InputError(null, null, "waveSize", "must be at least 1"));
        }
        if (campaign.maxFailureRate < 0 || campaign.maxFailureRate > 1) {
            errors.add(new Problem.InputError(null, null, "maxFailureRate", "must be between 0 and 1 (0.05 = 5%)"));
        }
        campaign.continuous = Boolean.TRUE.equals(request.continuous());
        campaign.autoApprove = Boolean.TRUE.equals(request.autoApprove());
        if (campaign.autoApprove && !campaign.continuous) {
            errors.add(new Problem.InputError(null, null, "autoApprove", "applies to continuous campaigns only"));
        }
        campaign.maxWaveSeconds = defaults.maxWaveDuration().getSeconds();
        if (request.maxWaveDuration() != null && !request.maxWaveDuration().isBlank()) {
            try {
                campaign.maxWaveSeconds = Duration.parse(request.maxWaveDuration().strip()).getSeconds();
            } catch (DateTimeParseException e) {
                errors.add(new Problem.InputError(null, null, "maxWaveDuration", "must be an ISO-8601 duration such as PT30M"));
            }
            if (campaign.maxWaveSeconds <= 0) {
                errors.add(new Problem.InputError(null, null, "maxWaveDuration", "must be positive"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(400, "The campaign is not valid", errors);
        }
        campaign.state = Campaign.State.DRAFT;
        campaign.createdBy = actor;
        campaign.createdAt = Instant.now();
        campaign.updatedAt = campaign.createdAt;
        return Panache.withTransaction(() -> campaigns.persist(campaign)
                .flatMap(saved -> Panache.getSession().flatMap(session -> session.persist(audit.decision(actor, campaign.id,
                        null, "CREATE", "DRAFT", "Campaign '" + campaign.name + "' for " + campaign.atlassianSource))))
                .flatMap(x -> engine.stateEvent(campaign, Campaign.State.DRAFT, null, null, actor)))
                .flatMap(x -> status(campaign.id));
    }

    /**
     * The true dry run: reads the newest approved decisions, assigns waves, lists every user's ordered API calls
     * or why the user is excluded, and projects the duration from the configured rate limits. Calls no API.
     */
    public Uni<CampaignView> plan(UUID id, String actor) {
        return Panache.withTransaction(() -> load(id).flatMap(campaign -> {
            requireState(campaign, "plan", Campaign.State.DRAFT, Campaign.State.PLANNED);
            return decisions.forSource(campaign.atlassianSource).flatMap(found -> {
                if (found.isEmpty()) {
                    throw new InvalidInputException(409, "No match decisions for source '" + campaign.atlassianSource
                            + "' yet; upload its snapshot and wait for matching", List.of());
                }
                return CampaignUser.delete("campaignId", campaign.id)
                        .flatMap(x -> CampaignWave.delete("campaignId", campaign.id))
                        .flatMap(x -> Panache.getSession())
                        .flatMap(session -> {
                            List<Object> rows = buildPlan(campaign, found);
                            Campaign.State previous = campaign.state;
                            campaign.state = Campaign.State.PLANNED;
                            campaign.updatedAt = Instant.now();
                            return session.persistAll(rows.toArray())
                                    .flatMap(x -> session.merge(campaign))
                                    .flatMap(x -> session.persist(audit.decision(actor, campaign.id, null, "PLAN", "PLANNED",
                                            campaign.moves + " moves in " + campaign.waves + " waves, " + campaign.excluded
                                                    + " excluded, projected " + formatDuration(campaign.projectedSeconds))))
                                    .flatMap(x -> engine.stateEvent(campaign, Campaign.State.PLANNED, previous, null, actor));
                        });
            });
        })).flatMap(x -> status(id));
    }

    private List<Object> buildPlan(Campaign campaign, List<ReceivedDecision> found) {
        List<CampaignUser> moves = new ArrayList<>();
        List<CampaignUser> excluded = new ArrayList<>();
        Instant now = Instant.now();
        for (ReceivedDecision decision : found) {
            CampaignUser user = new CampaignUser();
            user.id = UUID.randomUUID();
            user.campaignId = campaign.id;
            user.accountId = decision.accountId;
            user.email = decision.email;
            user.displayName = decision.displayName;
            user.idpUserId = decision.idpUserId;
            user.plannedFromPolicy = decision.currentPolicy;
            user.updatedAt = now;
            String[] exclusion = PlanService.exclusion(decision, json.read(decision.flags, JsonColumns.STRING_LIST));
            if (exclusion == null && decision.email == null) {
                exclusion = new String[]{"NO_EMAIL", "The Atlassian account has no email: add-users needs one"};
            }
            if (exclusion == null) {
                user.state = CampaignUser.State.PENDING;
                user.category = "MOVE";
                moves.add(user);
            } else {
                user.state = CampaignUser.State.EXCLUDED;
                user.category = exclusion[0];
                user.reason = exclusion[1];
                excluded.add(user);
            }
        }
        Comparator<CampaignUser> byEmail = Comparator.comparing(u -> u.email == null ? "" : u.email.toLowerCase(Locale.ROOT));
        moves.sort(byEmail);
        excluded.sort(Comparator.comparing((CampaignUser u) -> u.category).thenComparing(byEmail));
        List<Object> rows = new ArrayList<>();
        int position = 0;
        int wave = 0;
        int inWave = 0;
        int waveCapacity = 0;
        List<CampaignWave> waves = new ArrayList<>();
        for (CampaignUser user : moves) {
            if (inWave == waveCapacity) {
                wave++;
                inWave = 0;
                waveCapacity = wave == 1 ? campaign.canarySize : campaign.waveSize;
                CampaignWave row = new CampaignWave();
                row.campaignId = campaign.id;
                row.number = wave;
                row.state = CampaignWave.State.PENDING;
                waves.add(row);
            }
            user.wave = wave;
            user.position = ++position;
            waves.get(wave - 1).size++;
            inWave++;
        }
        for (CampaignUser user : excluded) {
            user.position = ++position;
        }
        campaign.moves = moves.size();
        campaign.excluded = excluded.size();
        campaign.waves = waves.size();
        campaign.projectedSeconds = projection(campaign).totalSeconds();
        rows.addAll(waves);
        rows.addAll(moves);
        rows.addAll(excluded);
        return rows;
    }

    /**
     * How long the campaign will take at best: every wave waits for one Entra provisioning cycle, and the calls
     * of all waves together take at least (calls / rate limit) per API; the slowest API sets the pace.
     */
    public Projection projection(Campaign campaign) {
        long moves = campaign.moves;
        int policyBatch = config.engine().policyBatchSize();
        long adminCalls = 3 * ceilDiv(moves, policyBatch); // read policies, add-users, one task poll per batch
        long graphCalls = campaign.scopeKind == Campaign.ScopeKind.GROUP ? ceilDiv(moves, 20) : moves;
        long scimCalls = moves; // at least one link check per user
        double adminSeconds = adminCalls / clients.atlassianAdmin().rateLimit().perSecond();
        double graphSeconds = graphCalls / clients.graph().rateLimit().perSecond();
        double scimSeconds = scimCalls / clients.atlassianScim().rateLimit().perSecond();
        double callSeconds = Math.max(adminSeconds, Math.max(graphSeconds, scimSeconds));
        long waitSeconds = campaign.waves * config.engine().expectedProvisioningDelay().getSeconds();
        return new Projection(adminCalls, graphCalls, scimCalls, Math.round(Math.ceil(callSeconds)), waitSeconds,
                Math.round(Math.ceil(callSeconds)) + waitSeconds);
    }

    /** @param callSeconds the rate-limit minimum: the calls alone at the configured limits */
    public record Projection(long atlassianAdminCalls, long graphCalls, long scimCalls, long callSeconds,
                             long provisioningWaitSeconds, long totalSeconds) {
    }

    public Uni<CampaignView> start(UUID id, String actor) {
        return change(id, actor, "START", List.of(Campaign.State.PLANNED), Campaign.State.RUNNING, "Started by " + actor);
    }

    public Uni<CampaignView> pause(UUID id, String actor) {
        return change(id, actor, "PAUSE", List.of(Campaign.State.RUNNING), Campaign.State.PAUSED, "Paused by " + actor);
    }

    /** Resumes a paused campaign, or a halted one: the halted wave's breach is then accepted by the operator. */
    public Uni<CampaignView> resume(UUID id, String actor) {
        return Panache.withTransaction(() -> CampaignWave.update("state = ?1 where campaignId = ?2 and state = ?3",
                        CampaignWave.State.ACCEPTED, id, CampaignWave.State.HALTED))
                .flatMap(x -> change(id, actor, "RESUME", List.of(Campaign.State.PAUSED, Campaign.State.HALTED),
                        Campaign.State.RUNNING, "Resumed by " + actor));
    }

    public Uni<CampaignView> abort(UUID id, String actor) {
        return change(id, actor, "ABORT", List.of(Campaign.State.DRAFT, Campaign.State.PLANNED, Campaign.State.RUNNING,
                Campaign.State.PAUSED, Campaign.State.HALTED), Campaign.State.ABORTED, "Aborted by " + actor
                + "; users already moved stay moved (roll back to undo)");
    }

    /** Rolls back one wave, or the whole campaign when {@code wave} is null. The campaign must not be running. */
    public Uni<CampaignView> rollback(UUID id, Integer wave, String actor) {
        List<Campaign.State> from = List.of(Campaign.State.PAUSED, Campaign.State.HALTED, Campaign.State.COMPLETED,
                Campaign.State.ABORTED);
        String what = wave == null ? "the whole campaign" : "wave " + wave;
        return Panache.withTransaction(() -> load(id).flatMap(campaign -> {
            requireState(campaign, "roll back (pause it first)", from.toArray(Campaign.State[]::new));
            if (wave != null && (wave < 1 || wave > campaign.waves)) {
                throw InvalidInputException.of(null, null, "wave", "must be between 1 and " + campaign.waves);
            }
            return users.markForRollback(id, wave, Instant.now()).flatMap(marked -> {
                if (wave == null) {
                    // Users that never started need no undo, but must not start later.
                    return CampaignUser.update("state = ?1, reason = ?2, updatedAt = ?3 where campaignId = ?4 and state in ?5",
                            CampaignUser.State.ROLLED_BACK, "Not started before the rollback; nothing to undo", Instant.now(),
                            id, List.of(CampaignUser.State.PENDING, CampaignUser.State.READY)).replaceWith(marked);
                }
                return Uni.createFrom().item(marked);
            }).flatMap(marked -> campaigns.transition(id, from, Campaign.State.ROLLING_BACK, "Rolling back " + what
                            + " (" + marked + " users) for " + actor)
                    .flatMap(x -> Panache.getSession()).flatMap(session -> session.persist(audit.decision(actor, id, wave,
                            "ROLLBACK", "ROLLING_BACK", "Roll back " + what + ": " + marked + " users")))
                    .flatMap(x -> engine.stateEvent(campaign, Campaign.State.ROLLING_BACK, campaign.state, "Rolling back " + what, actor)));
        })).flatMap(x -> status(id));
    }

    private Uni<CampaignView> change(UUID id, String actor, String action, List<Campaign.State> from, Campaign.State to,
                                     String reason) {
        return Panache.withTransaction(() -> load(id).flatMap(campaign -> {
            requireState(campaign, action.toLowerCase(Locale.ROOT), from.toArray(Campaign.State[]::new));
            return campaigns.transition(id, from, to, reason)
                    .flatMap(x -> Panache.getSession()).flatMap(session -> session.persist(audit.decision(actor, id, null,
                            action, to.name(), reason)))
                    .flatMap(x -> engine.stateEvent(campaign, to, campaign.state, reason, actor));
        })).flatMap(x -> status(id));
    }

    @WithSession
    public Uni<List<CampaignView>> list() {
        return campaigns.newestFirst().map(all -> all.stream().map(c -> CampaignView.of(c, Map.of(), List.of(), null)).toList());
    }

    /** State, counts per state and per wave, throughput and ETA. */
    @WithSession
    public Uni<CampaignView> status(UUID id) {
        return load(id).flatMap(campaign -> users.countByState(id, null).flatMap(counts -> users.countByWave(id)
                .flatMap(byWave -> campaigns.waves(id).flatMap(waves -> {
                    // Over the last 5 minutes, or since the start when that is more recent (else early rates look tiny).
                    Instant now = Instant.now();
                    Instant since = campaign.startedAt != null && campaign.startedAt.isAfter(now.minus(THROUGHPUT_WINDOW))
                            ? campaign.startedAt : now.minus(THROUGHPUT_WINDOW);
                    double windowSeconds = Math.max(1, Duration.between(since, now).toMillis() / 1000.0);
                    return users.movedSince(id, since).map(recent -> {
                        List<CampaignView.Wave> waveViews = waves.stream().map(w -> CampaignView.Wave.of(w,
                                byWave.getOrDefault(w.number, Map.of()))).toList();
                        double perMinute = recent * 60.0 / windowSeconds;
                        long remaining = CampaignUserRepository.OPEN.stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
                        Long etaSeconds = perMinute > 0 && remaining > 0 ? Math.round(remaining / perMinute * 60) : null;
                        return CampaignView.of(campaign, counts, waveViews,
                                new CampaignView.Progress(remaining, perMinute, etaSeconds, projection(campaign)));
                    });
                }))));
    }

    private static final Duration THROUGHPUT_WINDOW = Duration.ofMinutes(5);

    /** One page of the campaign's users with the exact calls each move makes (the dry run's detail). */
    @WithSession
    public Uni<List<CampaignView.User>> users(UUID id, int offset, int limit) {
        return load(id).flatMap(campaign -> users.page(id, offset, limit).map(page -> {
            MoveSteps.Target target = new MoveSteps.Target(campaign.scopeKind, campaign.scopeId, campaign.appRoleId,
                    campaign.targetPolicyId, campaign.targetPolicyName);
            return page.stream().map(user -> CampaignView.User.of(user, user.state == CampaignUser.State.EXCLUDED
                    ? List.of() : moveSteps.steps(target, user.email, user.idpUserId))).toList();
        }));
    }

    Uni<Campaign> load(UUID id) {
        return campaigns.findById(id).map(campaign -> {
            if (campaign == null) {
                throw new NotFoundException("No campaign " + id);
            }
            return campaign;
        });
    }

    private static void requireState(Campaign campaign, String action, Campaign.State... allowed) {
        for (Campaign.State state : allowed) {
            if (campaign.state == state) {
                return;
            }
        }
        throw new InvalidInputException(409, "Cannot " + action + " campaign '" + campaign.name + "' while it is "
                + campaign.state + " (allowed from: " + java.util.Arrays.toString(allowed) + ")", List.of());
    }

    static String formatDuration(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        Duration d = Duration.ofSeconds(seconds);
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static String blankOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    static Map<String, Long> named(Map<CampaignUser.State, Long> counts) {
        Map<String, Long> named = new TreeMap<>();
        counts.forEach((state, count) -> named.put(state.name(), count));
        return named;
    }
}
