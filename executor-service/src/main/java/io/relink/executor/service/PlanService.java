package io.relink.executor.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.events.MatchOutcome;
import io.relink.executor.Plan;
import io.relink.executor.PlanItem;
import io.relink.executor.ReceivedDecision;
import io.relink.executor.config.ExecutorConfig;
import io.relink.executor.repository.DecisionRepository;
import io.relink.executor.repository.PlanRepository;
import io.relink.support.json.JsonColumns;
import io.relink.support.rest.InvalidInputException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds dry-run plans from the current match decisions: for every account either the exact ordered
 * API calls its move will make, or why it is excluded. Building a plan calls no external API.
 */
@ApplicationScoped
public class PlanService {

    static final String BLOCKED = "BLOCKED";
    private static final TypeReference<List<PlannedStep>> STEP_LIST = new TypeReference<>() {
    };

    private final DecisionRepository decisions;
    private final PlanRepository plans;
    private final ExecutorConfig config;
    private final JsonColumns json;
    private final MoveSteps moveSteps;

    public PlanService(DecisionRepository decisions, PlanRepository plans, ExecutorConfig config, JsonColumns json,
                       MoveSteps moveSteps) {
        this.moveSteps = moveSteps;
        this.decisions = decisions;
        this.plans = plans;
        this.config = config;
        this.json = json;
    }

    public Uni<PlanView> create(String name, String atlassianSource) {
        if (atlassianSource == null || atlassianSource.isBlank()) {
            throw InvalidInputException.of(null, null, "atlassianSource", "atlassianSource is required");
        }
        String planName = name == null || name.isBlank() ? "plan for " + atlassianSource : name.strip();
        if (planName.length() > 200) {
            throw InvalidInputException.of(null, null, "name", "name is longer than 200 characters");
        }
        return Panache.withTransaction(() -> decisions.forSource(atlassianSource).flatMap(found -> {
            if (found.isEmpty()) {
                throw new InvalidInputException(409, "No match decisions for source '" + atlassianSource
                        + "' yet; upload its snapshot and wait for matching", List.of());
            }
            Plan plan = new Plan();
            plan.id = UUID.randomUUID();
            plan.name = planName;
            plan.atlassianSource = atlassianSource;
            plan.targetPolicy = config.targetPolicy();
            plan.createdAt = Instant.now();
            List<PlanItem> items = buildItems(plan, found);
            plan.moves = (int) items.stream().filter(i -> i.action == PlanItem.Action.MOVE).count();
            plan.excluded = items.size() - plan.moves;
            return plans.persist(plan)
                    .flatMap(saved -> Panache.getSession())
                    .flatMap(session -> session.persistAll(items.toArray()))
                    .replaceWith(() -> view(plan, categories(items), items.subList(0, Math.min(items.size(), 100)), 0));
        }));
    }

    private List<PlanItem> buildItems(Plan plan, List<ReceivedDecision> found) {
        List<PlanItem> items = new ArrayList<>(found.size());
        for (ReceivedDecision decision : found) {
            PlanItem item = new PlanItem();
            item.id = UUID.randomUUID();
            item.planId = plan.id;
            item.accountId = decision.accountId;
            item.email = decision.email;
            item.displayName = decision.displayName;
            item.idpUserId = decision.idpUserId;
            item.fromPolicy = decision.currentPolicy;
            String[] excluded = exclusion(decision, json.read(decision.flags, JsonColumns.STRING_LIST));
            if (excluded == null) {
                item.action = PlanItem.Action.MOVE;
                item.category = PlanItem.Action.MOVE.name();
                item.toPolicy = plan.targetPolicy;
                item.reason = "Move from '" + (decision.currentPolicy == null ? "unknown policy" : decision.currentPolicy)
                        + "' to '" + plan.targetPolicy + "'";
                item.steps = json.write(stepsFor(decision));
            } else {
                item.action = PlanItem.Action.EXCLUDED;
                item.category = excluded[0];
                item.reason = excluded[1];
                item.steps = "[]";
            }
            items.add(item);
        }
        // Moves first, then exclusions grouped by category; alphabetical by email inside each group.
        items.sort(Comparator.comparing((PlanItem i) -> i.action)
                .thenComparing(i -> i.category)
                .thenComparing(i -> i.email == null ? "" : i.email.toLowerCase(java.util.Locale.ROOT)));
        for (int i = 0; i < items.size(); i++) {
            items.get(i).position = i + 1;
        }
        return items;
    }

    /** The calls a move makes, in order, to the configured default scope and policy. */
    List<PlannedStep> stepsFor(ReceivedDecision decision) {
        return moveSteps.steps(new MoveSteps.Target(io.relink.executor.Campaign.ScopeKind.GROUP, config.entraScopeGroupId(),
                null, config.targetPolicyId(), config.targetPolicy()), decision.email, decision.idpUserId);
    }

    /**
     * Whether a decision can be moved and, if not, why: only a MATCHED decision without blockers moves.
     *
     * @return null when it moves, else {category, reason}
     */
    static String[] exclusion(ReceivedDecision decision, List<String> blockers) {
        if (decision.outcome == MatchOutcome.MATCHED && blockers.isEmpty()) {
            return null;
        }
        return decision.outcome == MatchOutcome.MATCHED
                ? new String[]{BLOCKED, "Blocked: " + String.join(", ", blockers)}
                : new String[]{decision.outcome.name(), decision.outcome + ": " + decision.reason};
    }

    @WithSession
    public Uni<PlanView> get(UUID id, int offset, int limit) {
        return plans.findById(id).flatMap(plan -> {
            if (plan == null) {
                throw new NotFoundException("No plan " + id);
            }
            return categoryCounts(plan.id).flatMap(categories -> plans.items(plan.id, offset, limit)
                    .map(items -> view(plan, categories, items, offset)));
        });
    }

    @WithSession
    public Uni<List<PlanView>> list() {
        return plans.newestFirst().map(list -> list.stream().map(p -> view(p, null, List.of(), 0)).toList());
    }

    private Uni<Map<String, Long>> categoryCounts(UUID planId) {
        return Panache.getSession().flatMap(session -> session
                .createQuery("select i.category, count(i) from PlanItem i where i.planId = :plan group by i.category",
                        Object[].class)
                .setParameter("plan", planId)
                .getResultList())
                .map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    rows.stream().sorted(Comparator.comparing(r -> (String) r[0]))
                            .forEach(r -> counts.put((String) r[0], (Long) r[1]));
                    return counts;
                });
    }

    private static Map<String, Long> categories(List<PlanItem> items) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        items.forEach(i -> counts.merge(i.category, 1L, Long::sum));
        return counts;
    }

    private PlanView view(Plan plan, Map<String, Long> categories, List<PlanItem> items, int offset) {
        List<PlanView.Item> views = items.stream().map(i -> new PlanView.Item(i.position, i.accountId, i.email,
                i.displayName, i.idpUserId, i.fromPolicy, i.toPolicy, i.action, i.category, i.reason,
                json.read(i.steps, STEP_LIST))).toList();
        return new PlanView(plan.id, plan.name, plan.atlassianSource, plan.targetPolicy, true, plan.moves, plan.excluded,
                categories, plan.createdAt, offset, views);
    }

}
