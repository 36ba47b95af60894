package io.relink.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.MatchReviewed;
import io.relink.events.SourceKind;
import io.relink.events.Topics;
import io.relink.matcher.Decision;
import io.relink.matcher.IndexedIdentity;
import io.relink.matcher.Review;
import io.relink.matcher.ReviewAction;
import io.relink.matcher.repository.DecisionRepository;
import io.relink.matcher.repository.IdentityRepository;
import io.relink.support.json.JsonColumns;
import io.relink.matcher.messaging.DecisionPublisher;
import io.relink.support.messaging.Outbox;
import io.relink.support.rest.InvalidInputException;
import io.relink.support.rest.Problem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The review queue: people approve, reject or override matches. Each decision is recorded (who, when, why), published
 * as an event, and applied at once by re-deciding the account; it stands until the evidence behind it changes.
 */
@ApplicationScoped
public class ReviewService {

    private final DecisionRepository decisions;
    private final IdentityRepository identities;
    private final MatchService matching;
    private final Outbox outbox;
    private final JsonColumns json;
    private final DecisionPublisher publisher;

    public ReviewService(DecisionRepository decisions, IdentityRepository identities, MatchService matching, Outbox outbox,
                         JsonColumns json, DecisionPublisher publisher) {
        this.publisher = publisher;
        this.decisions = decisions;
        this.identities = identities;
        this.matching = matching;
        this.outbox = outbox;
        this.json = json;
    }

    /** One person's decision about one account; {@code idpUserId} names the Entra user for APPROVE (optional) and OVERRIDE. */
    public record Request(String accountId, Review.Action action, String idpUserId, String reason) {
    }

    /** An Entra user the evidence points at. */
    public record Candidate(String idpUserId, String rule, String idpAttribute, String idpValue) {
    }

    /** An account in the queue (or decided), with what the rules found and what a person decided. */
    public record Item(String accountId, String email, String displayName, MatchOutcome outcome, String idpUserId,
                       String rule, String reason, List<String> flags, List<Candidate> candidates, Decided review) {
    }

    public record Decided(String action, String idpUserId, String actor, String reason, Instant decidedAt,
                          Instant staleSince, String staleReason) {
    }

    /** Applies every request in one transaction: one invalid request refuses them all and changes nothing. */
    public Uni<List<Item>> decide(String source, List<Request> requests, String actor) {
        if (requests == null || requests.isEmpty()) {
            throw InvalidInputException.of(null, null, "decisions", "name at least one account");
        }
        return Panache.withTransaction(() -> identities.lockForMatching().flatMap(locked -> Multi.createFrom().iterable(requests).onItem()
                        .transformToUniAndConcatenate(request -> record(source, request, actor)).collect().asList())
                        // Applied at once: the account is re-decided with the person's decision in the same transaction.
                        .flatMap(accountKeys -> rematch(accountKeys).replaceWith(accountKeys)))
                .invoke(publisher::publishSoon)
                .flatMap(accountKeys -> Panache.withSession(() -> items(accountKeys)));
    }

    private Uni<String> record(String source, Request request, String actor) {
        List<Problem.InputError> errors = new ArrayList<>();
        if (request.accountId() == null || request.accountId().isBlank()) {
            errors.add(new Problem.InputError(null, null, "accountId", "is required"));
        }
        if (request.action() == null) {
            errors.add(new Problem.InputError(null, null, "action", "must be APPROVE, REJECT or OVERRIDE"));
        }
        if (request.reason() == null || request.reason().isBlank()) {
            errors.add(new Problem.InputError(null, null, "reason", "is required: say why, for the audit trail"));
        }
        if (request.action() == Review.Action.OVERRIDE && (request.idpUserId() == null || request.idpUserId().isBlank())) {
            errors.add(new Problem.InputError(null, null, "idpUserId", "is required for OVERRIDE: the Entra user to match"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(400, "Review decision for '" + request.accountId() + "' is not valid", errors);
        }
        String key = IndexedIdentity.key(source, request.accountId());
        return decisions.findById(key).flatMap(decision -> {
            if (decision == null) {
                throw new NotFoundException("No decision for account " + request.accountId() + " of source " + source);
            }
            if (decision.machineFingerprint == null) {
                throw new InvalidInputException(409, "The decision for " + request.accountId()
                        + " predates the review queue; it is reviewable after its next re-decision (e.g. the next snapshot)",
                        List.of());
            }
            String chosen = chosenUser(decision, request);
            Uni<IndexedIdentity> user = chosen == null ? Uni.createFrom().nullItem() : entraUser(chosen);
            return user.flatMap(entra -> Review.<Review>findById(key).flatMap(existing -> {
                Instant now = Instant.now();
                Review review = existing == null ? new Review() : existing;
                review.id = key;
                review.atlassianSource = source;
                review.accountId = request.accountId();
                review.action = request.action();
                review.idpUserKey = entra == null ? null : entra.id;
                review.idpUserId = entra == null ? null : entra.externalId;
                // A person who confirms what the rules say decides on the rules' verdict: bind to it.
                review.fingerprint = decision.machineFingerprint;
                review.actor = actor;
                review.reason = request.reason().strip();
                review.decidedAt = now;
                review.staleSince = null;
                review.staleReason = null;
                ReviewAction history = new ReviewAction();
                history.reviewId = key;
                history.action = review.action;
                history.idpUserId = review.idpUserId;
                history.previousOutcome = decision.outcome;
                history.actor = actor;
                history.reason = review.reason;
                history.decidedAt = now;
                return Panache.getSession()
                        .flatMap(session -> session.merge(review).flatMap(x -> session.persist(history)))
                        .flatMap(x -> outbox.append(Topics.MATCH, key, EventTypes.MATCH_REVIEWED_V1,
                                new MatchReviewed(source, request.accountId(), decision.email, review.action.name(),
                                        review.idpUserId, actor, review.reason, decision.outcome.name())))
                        .replaceWith(key);
            }));
        });
    }

    /** The Entra user a decision names, or the one it can only mean; null for REJECT. */
    private String chosenUser(Decision decision, Request request) {
        if (request.action() == Review.Action.REJECT) {
            return null;
        }
        if (request.idpUserId() != null && !request.idpUserId().isBlank()) {
            return request.idpUserId().strip();
        }
        if (decision.idpUserId != null) {
            return decision.idpUserId;
        }
        List<String> candidates = candidates(decision).stream().map(Candidate::idpUserId).distinct().toList();
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        throw new InvalidInputException(400, "Account " + decision.accountId + " has " + candidates.size()
                + " candidates " + candidates + ": name the Entra user (idpUserId)", List.of(
                new Problem.InputError(null, null, "idpUserId", "is required when the candidate is not unique")));
    }

    private Uni<IndexedIdentity> entraUser(String externalId) {
        return identities.find("sourceKind = ?1 and externalId = ?2", SourceKind.ENTRA, externalId).list().map(found -> {
            if (found.isEmpty()) {
                throw new InvalidInputException(400, "No Entra user with id " + externalId + " in any source",
                        List.of(new Problem.InputError(null, null, "idpUserId", "unknown Entra user " + externalId)));
            }
            return found.get(0);
        });
    }

    private Uni<Void> rematch(List<String> accountKeys) {
        return identities.list("id in ?1", accountKeys).flatMap(accounts -> {
            LinkedHashSet<String> addresses = new LinkedHashSet<>();
            accounts.forEach(a -> addresses.addAll(matching.changeKeys(a)));
            return matching.rematch(addresses, List.of());
        });
    }

    /** The queue: accounts in REVIEW (including those whose earlier decision went stale), oldest decision first. */
    @WithSession
    public Uni<List<Item>> queue(String source, int offset, int limit) {
        return Decision.<Decision>find("atlassianSource = ?1 and outcome = ?2", Sort.by("decidedAt").and("id"), source,
                MatchOutcome.REVIEW).page(Page.of(offset / Math.max(limit, 1), limit)).list().flatMap(this::withReviews);
    }

    /** Accounts a person has decided, newest first. */
    @WithSession
    public Uni<List<Item>> decided(String source, int offset, int limit) {
        return Review.<Review>find("atlassianSource", Sort.descending("decidedAt"), source)
                .page(Page.of(offset / Math.max(limit, 1), limit)).list()
                .flatMap(reviews -> items(reviews.stream().map(r -> r.id).toList()));
    }

    @WithSession
    public Uni<List<ReviewAction>> history(String source, String accountId) {
        String key = IndexedIdentity.key(source, accountId);
        return Decision.<Decision>findById(key).flatMap(decision -> {
            if (decision == null) {
                throw new jakarta.ws.rs.NotFoundException("No account '" + accountId + "' in source '" + source + "'");
            }
            return ReviewAction.<ReviewAction>find("reviewId", Sort.by("id"), key).list();
        });
    }

    private Uni<List<Item>> items(List<String> keys) {
        return Decision.<Decision>list("id in ?1", keys).flatMap(found -> {
            Map<String, Decision> byKey = found.stream().collect(Collectors.toMap(d -> d.id, Function.identity()));
            return withReviews(keys.stream().map(byKey::get).filter(java.util.Objects::nonNull).toList());
        });
    }

    private Uni<List<Item>> withReviews(List<Decision> page) {
        return Review.<Review>list("id in ?1", page.stream().map(d -> d.id).toList()).map(reviews -> {
            Map<String, Review> byKey = reviews.stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
            return page.stream().map(d -> {
                Review r = byKey.get(d.id);
                Decided decided = r == null ? null : new Decided(r.action.name(), r.idpUserId, r.actor, r.reason,
                        r.decidedAt, r.staleSince, r.staleReason);
                return new Item(d.accountId, d.email, d.displayName, d.outcome, d.idpUserId, d.rule, d.reason,
                        json.read(d.flags, JsonColumns.STRING_LIST), candidates(d), decided);
            }).toList();
        });
    }

    private List<Candidate> candidates(Decision decision) {
        List<MatchDecided.Evidence> evidence = json.read(decision.evidence, Decision.EVIDENCE_LIST);
        return evidence.stream().filter(e -> e.idpUserId() != null)
                .map(e -> new Candidate(e.idpUserId(), e.rule(), e.idpAttribute(), e.idpValue())).toList();
    }
}
