package io.relink.matcher.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.relink.events.ChangeType;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.MatchOutcome;
import io.relink.events.SourceKind;
import io.relink.matcher.Decision;
import io.relink.matcher.IdentityAddress;
import io.relink.matcher.IndexedIdentity;
import io.relink.matcher.Review;
import io.relink.matcher.repository.DecisionRepository;
import io.relink.matcher.repository.IdentityRepository;
import io.relink.matcher.repository.IndexReads;
import io.relink.matcher.repository.ReviewRepository;
import io.relink.support.json.JsonColumns;
import io.relink.support.messaging.TraceContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the identity index current and re-decides exactly the Atlassian accounts a change can affect:
 * those whose email is one of the addresses the changed identity had or has. A decision is written, and so published
 * ({@link io.relink.matcher.messaging.DecisionPublisher}), only when it differs from the previous one.
 */
@ApplicationScoped
public class MatchService {

    private final IdentityRepository identities;
    private final DecisionRepository decisions;
    private final MatchRules rules;
    private final AddressKeys keys;
    private final TraceContext traces;
    private final JsonColumns json;
    private final ReviewRepository reviews;
    private final ScimPresence scimPresence;
    private final MeterRegistry registry;

    public MatchService(IdentityRepository identities, DecisionRepository decisions, ReviewRepository reviews,
                        MatchRules rules, AddressKeys keys, TraceContext traces, JsonColumns json, ScimPresence scimPresence,
                        MeterRegistry registry) {
        this.registry = registry;
        this.scimPresence = scimPresence;
        this.identities = identities;
        this.decisions = decisions;
        this.reviews = reviews;
        this.rules = rules;
        this.keys = keys;
        this.traces = traces;
        this.json = json;
    }

    /**
     * Applies a batch of identity changes; must run inside the consumer's transaction. The batch is written with one
     * statement per step and re-decided as one set: each account the batch touches is decided once, on the batch's
     * final state. Changes of one identity arrive in order (one key, one partition), so its last change wins.
     */
    public Uni<Void> applyAll(List<IdentityChanged> changes) {
        Map<String, IdentityChanged> latest = new LinkedHashMap<>();
        for (IdentityChanged change : changes) {
            if (change.sourceKind() == SourceKind.SCIM) {
                scimPresence.seen();
            }
            String id = IndexedIdentity.key(change.sourceName(), change.externalId());
            latest.remove(id);
            latest.put(id, change);
        }
        return identities.lockForMatching().flatMap(ignored -> identities.byIds(latest.keySet())).flatMap(previousRows -> {
            Map<String, IndexedIdentity> previous = new HashMap<>();
            previousRows.forEach(row -> previous.put(row.id, row));
            Set<String> keys = new LinkedHashSet<>();
            List<String> removed = new ArrayList<>();
            List<String> withdrawn = new ArrayList<>();
            List<IndexedIdentity> current = new ArrayList<>();
            List<String> reindexed = new ArrayList<>();
            List<IdentityAddress> addressRows = new ArrayList<>();
            latest.forEach((id, change) -> {
                IndexedIdentity before = previous.get(id);
                keys.addAll(changeKeys(before));
                if (change.change() == ChangeType.REMOVED) {
                    if (before != null) {
                        removed.add(id);
                    }
                    if (change.sourceKind() == SourceKind.ATLASSIAN) {
                        withdrawn.add(id);
                    }
                    return;
                }
                IndexedIdentity row = toIndexed(change);
                current.add(row);
                if (before != null) {
                    reindexed.add(id);
                }
                addressRows.addAll(indexRows(row));
                row.addresses = json.write(addressesOf(row));
                keys.addAll(changeKeys(row));
            });
            // The statements below write rows the session does not track: forget whatever it holds (an earlier read of
            // the transaction), so that nothing stale is read or flushed over them.
            return identities.getSession().invoke(session -> session.clear())
                    // Old address rows are found by the address lists the identities have before the upsert.
                    .flatMap(ignored -> identities.deleteAll(removed))
                    .flatMap(ignored -> identities.replaceAddresses(reindexed, addressRows))
                    .flatMap(ignored -> identities.upsertAll(current))
                    .flatMap(ignored -> withdraw(withdrawn))
                    .flatMap(ignored -> rematch(keys, current));
        });
    }

    /**
     * Re-decides every Atlassian account the change can concern: those found by its addresses and keys directly,
     * through the Entra users they lead to, and through the SCIM users (links) around them. SCIM users are read
     * only once the matcher has any (see {@link ScimPresence}): they are evidence, never candidates. {@code written}:
     * identities the caller has just written, so not read back.
     */
    Uni<Void> rematch(Set<String> addresses, List<IndexedIdentity> written) {
        IndexReads reads = new IndexReads(written);
        return scimPresence.known().flatMap(scimKnown -> identities.byAddress(SourceKind.ENTRA, addresses, reads).flatMap(entraUsers -> {
            Set<String> widened = new LinkedHashSet<>(addresses);
            entraUsers.forEach(user -> widened.addAll(linkKeys(user)));
            return scimBy(scimKnown, widened, reads).flatMap(scimUsers -> {
                scimUsers.forEach(user -> widened.addAll(linkKeys(user)));
                return identities.byAddress(SourceKind.ATLASSIAN, widened, reads).flatMap(accounts -> {
                    Set<String> lookup = new LinkedHashSet<>();
                    accounts.forEach(a -> lookup.addAll(accountKeys(a)));
                    return scimBy(scimKnown, lookup, reads).flatMap(accountScim -> {
                        Set<String> candidateKeys = new LinkedHashSet<>(lookup);
                        accountScim.forEach(user -> addIfPresent(candidateKeys, AddressKeys.objectIdKey(user.scimExternalId)));
                        return identities.byAddress(SourceKind.ENTRA, candidateKeys, reads).flatMap(candidates -> {
                            Set<String> objectIds = new LinkedHashSet<>();
                            candidates.forEach(c -> objectIds.add(AddressKeys.objectIdKey(c.externalId)));
                            return scimBy(scimKnown, objectIds, reads).flatMap(candidateScim -> {
                                Map<String, IndexedIdentity> scim = new LinkedHashMap<>();
                                accountScim.forEach(u -> scim.put(u.id, u));
                                candidateScim.forEach(u -> scim.put(u.id, u));
                                return decideAll(accounts, candidates, new ScimEvidence(scimKnown, scim.values().stream()
                                        .sorted(java.util.Comparator.comparing((IndexedIdentity u) -> u.id)).toList()));
                            });
                        });
                    });
                });
            });
        }));
    }

    private Uni<List<IndexedIdentity>> scimBy(boolean scimKnown, Set<String> keys, IndexReads reads) {
        return scimKnown ? identities.byAddress(SourceKind.SCIM, keys, reads) : Uni.createFrom().item(List.of());
    }

    /** What an account looks its candidates up by: its address keys and its display name. */
    private Set<String> accountKeys(IndexedIdentity account) {
        Set<String> lookup = new LinkedHashSet<>(keys.lookupKeys(account.emailNorm));
        addIfPresent(lookup, AddressKeys.accountKey(account.externalId));
        addIfPresent(lookup, AddressKeys.nameKey(account.displayName));
        return lookup;
    }

    private static void addIfPresent(Set<String> keys, String key) {
        if (key != null) {
            keys.add(key);
        }
    }

    private Uni<Void> decideAll(List<IndexedIdentity> accounts, List<IndexedIdentity> entraUsers, ScimEvidence scim) {
        // In a fixed order: the evidence lists candidates in this order, and a person's decision is bound to the
        // evidence (its fingerprint); the database returns rows in any order.
        List<EntraCandidate> candidates = entraUsers.stream().sorted(java.util.Comparator.comparing((IndexedIdentity u) -> u.id))
                .map(this::candidate).toList();
        Map<String, List<EntraCandidate>> byAddress = new HashMap<>();
        for (EntraCandidate candidate : candidates) {
            addressesOf(candidate.user()).forEach(a -> byAddress.computeIfAbsent(a, k -> new ArrayList<>()).add(candidate));
        }
        // Per account: the distinct candidates any of its keys lead to, and the Entra user its SCIM link names.
        Map<String, List<EntraCandidate>> candidatesOf = new HashMap<>();
        Map<String, Map<String, Integer>> claimsBySource = new HashMap<>();
        for (IndexedIdentity account : accounts) {
            Set<String> lookup = accountKeys(account);
            scim.linkedTo(account).ifPresent(link -> addIfPresent(lookup, AddressKeys.objectIdKey(link.scimExternalId)));
            Map<String, EntraCandidate> distinct = new LinkedHashMap<>();
            lookup.forEach(key -> byAddress.getOrDefault(key, List.of()).forEach(c -> distinct.putIfAbsent(c.user().id, c)));
            candidatesOf.put(account.id, List.copyOf(distinct.values()));
            // How many accounts of each Atlassian source definitely resolve to each Entra user.
            for (EntraCandidate c : distinct.values()) {
                var found = rules.strongestRule(account, c, scim);
                if (found != null && found.definite()) {
                    claimsBySource.computeIfAbsent(account.sourceName, s -> new HashMap<>()).merge(c.user().id, 1, Integer::sum);
                }
            }
        }
        if (accounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> accountIds = accounts.stream().map(a -> a.id).toList();
        return decisions.byIds(accountIds).flatMap(existing -> reviews.byIds(accountIds).flatMap(standing -> {
            Map<String, Decision> decisionOf = new HashMap<>();
            existing.forEach(d -> decisionOf.put(d.id, d));
            Map<String, Review> reviewOf = new HashMap<>();
            standing.forEach(r -> reviewOf.put(r.id, r));
            return Multi.createFrom().iterable(accounts)
                    .onItem().transformToUniAndConcatenate(account -> redecide(account, rules.decide(account,
                                    candidatesOf.get(account.id), claimsBySource.getOrDefault(account.sourceName, Map.of()), scim),
                            scim, reviewOf.get(account.id), decisionOf.get(account.id)))
                    .collect().asList()
                    .flatMap(changes -> write(changes.stream().flatMap(Optional::stream).toList()));
        }));
    }

    /**
     * Writes the batch's new decisions with one statement; each goes out as an event once committed. The session may
     * hold older copies of those decisions (a reviewer's request reads the one it decides on): after pushing its own
     * pending changes (reviews gone stale), it forgets them, so that later reads in the session see what was written.
     */
    private Uni<Void> write(List<Decision> changes) {
        return decisions.upsertAll(changes, traces.current())
                .flatMap(ignored -> decisions.getSession())
                .flatMap(session -> session.flush().invoke(session::clear))
                .invoke(() -> changes.forEach(change -> decided(change.outcome)));
    }

    /** {@code relink_match_decisions_total{outcome}}: decisions published (new ones and changed ones). */
    private void decided(MatchOutcome outcome) {
        registry.counter("relink.match.decisions", "outcome", outcome.name()).increment();
    }

    private EntraCandidate candidate(IndexedIdentity user) {
        return new EntraCandidate(user, secondaryOf(user), otherMailsOf(user));
    }

    private List<String> secondaryOf(IndexedIdentity identity) {
        if (identity.secondaryList == null) {
            identity.secondaryList = json.read(identity.secondary, JsonColumns.STRING_LIST);
        }
        return identity.secondaryList;
    }

    private List<String> otherMailsOf(IndexedIdentity identity) {
        if (identity.otherMailsList == null) {
            identity.otherMailsList = json.read(identity.otherMails, JsonColumns.STRING_LIST);
        }
        return identity.otherMailsList;
    }

    /** The address index rows of an identity: what it can be found by (worked out once per state). */
    private List<IdentityAddress> indexRows(IndexedIdentity identity) {
        if (identity.addressRows == null) {
            identity.addressRows = computeIndexRows(identity);
        }
        return identity.addressRows;
    }

    private List<IdentityAddress> computeIndexRows(IndexedIdentity identity) {
        Map<String, IdentityAddress> rows = new LinkedHashMap<>();
        java.util.function.BiConsumer<String, IdentityAddress.Kind> add = (address, kind) -> {
            if (address != null) {
                rows.putIfAbsent(address, IdentityAddress.of(identity.id, address, kind)); // the strongest kind names it
            }
        };
        switch (identity.sourceKind) {
            case ATLASSIAN -> {
                add.accept(identity.emailNorm, IdentityAddress.Kind.EMAIL);
                add.accept(keys.plusStripped(identity.emailNorm), IdentityAddress.Kind.PLUS_STRIPPED);
                add.accept(keys.domainAliased(identity.emailNorm), IdentityAddress.Kind.DOMAIN_ALIAS);
                add.accept(AddressKeys.accountKey(identity.externalId), IdentityAddress.Kind.ACCOUNT_ID);
                add.accept(AddressKeys.nameKey(identity.displayName), IdentityAddress.Kind.DISPLAY_NAME);
            }
            case ENTRA -> {
                add.accept(identity.emailNorm, IdentityAddress.Kind.MAIL);
                add.accept(identity.upnNorm, IdentityAddress.Kind.UPN);
                secondaryOf(identity).forEach(a -> add.accept(a, IdentityAddress.Kind.ALIAS));
                otherMailsOf(identity).forEach(a -> add.accept(a, IdentityAddress.Kind.OTHER_MAIL));
                add.accept(AddressKeys.objectIdKey(identity.externalId), IdentityAddress.Kind.OBJECT_ID);
                add.accept(AddressKeys.nameKey(identity.displayName), IdentityAddress.Kind.DISPLAY_NAME);
            }
            case SCIM -> {
                add.accept(identity.emailNorm, IdentityAddress.Kind.MAIL);
                add.accept(identity.upnNorm, IdentityAddress.Kind.UPN);
                add.accept(AddressKeys.objectIdKey(identity.scimExternalId), IdentityAddress.Kind.OBJECT_ID);
                add.accept(AddressKeys.accountKey(identity.linkedAccountId), IdentityAddress.Kind.ACCOUNT_ID);
            }
        }
        return List.copyOf(rows.values());
    }

    private Uni<Optional<Decision>> redecide(IndexedIdentity account, Verdict machine, ScimEvidence scim, Review review,
                                         Decision existing) {
        String fingerprint = fingerprint(account, machine);
        return overlay(account, machine, fingerprint, review, scim)
                .map(verdict -> change(account, verdict, fingerprint, existing));
    }

    /**
     * Applies a person's standing decision to the rules' verdict while the verdict is the one the person saw.
     * When it is not, the decision goes stale and the account returns to review. Deactivated and already-moved
     * accounts are what they are, whatever was decided before.
     */
    private Uni<Verdict> overlay(IndexedIdentity account, Verdict machine, String fingerprint, Review review,
                                 ScimEvidence scim) {
        if (review == null || review.staleSince != null || machine.outcome() == MatchOutcome.ALREADY_LINKED
                || machine.outcome() == MatchOutcome.SKIPPED) {
            return Uni.createFrom().item(machine);
        }
        if (!review.fingerprint.equals(fingerprint)) {
            return Uni.createFrom().item(backToReview(review, machine, "the evidence changed after it"));
        }
        String by = " by " + review.actor + ": " + review.reason;
        if (review.action == Review.Action.REJECT) {
            return Uni.createFrom().item(new Verdict(MatchOutcome.NO_MATCH, null, 0, ReviewRules.HUMAN_REJECTED,
                    machine.evidence(), List.of(), "Rejected" + by));
        }
        return identities.findById(review.idpUserKey).map(user -> {
            if (user == null) {
                return backToReview(review, machine, "the chosen Entra user " + review.idpUserId + " is no longer in the directory");
            }
            String rule = review.action == Review.Action.APPROVE ? ReviewRules.HUMAN_APPROVED : ReviewRules.HUMAN_OVERRIDE;
            List<String> flags = rules.blockers(account, user, rule, scim);
            return new Verdict(MatchOutcome.MATCHED, user, 1.0, rule, machine.evidence(), flags,
                    (review.action == Review.Action.APPROVE ? "Approved" : "Overridden") + by
                            + (flags.isEmpty() ? "" : "; blocked: " + String.join(", ", flags)));
        });
    }

    private static Verdict backToReview(Review review, Verdict machine, String why) {
        review.staleSince = Instant.now();
        review.staleReason = "The " + review.action + " by " + review.actor + " on " + review.decidedAt + " no longer holds: " + why;
        return new Verdict(MatchOutcome.REVIEW, null, machine.confidence(), machine.rule(), machine.evidence(), machine.flags(),
                "Back in review. " + review.staleReason + ". The rules now say: " + machine.outcome() + " — " + machine.reason());
    }

    /** What a person's decision is bound to: the rules' outcome, rule, evidence and blockers for this address. */
    private String fingerprint(IndexedIdentity account, Verdict machine) {
        String basis = machine.outcome() + "|" + machine.rule() + "|" + account.emailNorm + "|"
                + (machine.candidate() == null ? "" : machine.candidate().id) + "|" + json.write(machine.evidence())
                + "|" + json.write(machine.flags());
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(basis.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The account's new decision, unless it says what {@code existing} (not modified) says already. */
    private Optional<Decision> change(IndexedIdentity account, Verdict verdict, String fingerprint, Decision existing) {
        Decision next = new Decision();
        String evidence = json.write(verdict.evidence());
        String flags = json.write(verdict.flags());
        String idpUserId = verdict.candidate() == null ? null : verdict.candidate().externalId;
        if (existing != null && existing.outcome == verdict.outcome() && Objects.equals(existing.idpUserId, idpUserId)
                && Objects.equals(existing.rule, verdict.rule()) && existing.flags.equals(flags)
                && existing.evidence.equals(evidence) && Objects.equals(existing.currentPolicy, account.authPolicy)
                && Objects.equals(existing.email, account.email) && Objects.equals(existing.reason, verdict.reason())
                && Objects.equals(existing.machineFingerprint, fingerprint)) {
            return Optional.empty(); // nothing new to say
        }
        next.machineFingerprint = fingerprint;
        next.id = account.id;
        next.atlassianSource = account.sourceName;
        next.accountId = account.externalId;
        next.email = account.email;
        next.displayName = account.displayName;
        next.outcome = verdict.outcome();
        next.idpSource = verdict.candidate() == null ? null : verdict.candidate().sourceName;
        next.idpUserId = idpUserId;
        next.confidence = verdict.confidence();
        next.rule = verdict.rule();
        next.evidence = evidence;
        next.flags = flags;
        next.currentPolicy = account.authPolicy;
        next.reason = verdict.reason();
        next.revision = existing == null ? 1 : existing.revision + 1;
        next.decidedAt = Instant.now();
        return Optional.of(next);
    }

    /** The accounts left their source: their decisions say so, and nothing will be moved for them. */
    private Uni<Void> withdraw(List<String> accountKeys) {
        if (accountKeys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return decisions.byIds(accountKeys).flatMap(existing -> write(existing.stream()
                .filter(d -> !(d.outcome == MatchOutcome.SKIPPED && d.idpUserId == null && WITHDRAWN.equals(d.reason)))
                .map(MatchService::withdrawn).toList()));
    }

    private static final String WITHDRAWN = "Account is no longer in the source";

    /** A new decision (the session's copy stays as it is): SKIPPED, no Entra user, nothing in evidence. */
    private static Decision withdrawn(Decision existing) {
        Decision next = new Decision();
        next.id = existing.id;
        next.atlassianSource = existing.atlassianSource;
        next.accountId = existing.accountId;
        next.email = existing.email;
        next.displayName = existing.displayName;
        next.outcome = MatchOutcome.SKIPPED;
        next.confidence = 0;
        next.evidence = "[]";
        next.flags = "[]";
        next.currentPolicy = existing.currentPolicy;
        next.reason = WITHDRAWN;
        next.revision = existing.revision + 1;
        next.machineFingerprint = existing.machineFingerprint;
        next.decidedAt = Instant.now();
        return next;
    }

    private IndexedIdentity toIndexed(IdentityChanged change) {
        Identity identity = change.identity();
        IndexedIdentity row = new IndexedIdentity();
        row.id = IndexedIdentity.key(change.sourceName(), change.externalId());
        row.sourceName = change.sourceName();
        row.sourceKind = change.sourceKind();
        row.externalId = change.externalId();
        row.displayName = identity.displayName();
        row.email = identity.email();
        row.emailNorm = identity.emailNormalized();
        row.upnNorm = identity.userPrincipalNameNormalized();
        row.secondaryList = identity.secondaryEmailsNormalized();
        row.otherMailsList = identity.otherMailsNormalized();
        row.secondary = json.write(row.secondaryList);
        row.otherMails = json.write(row.otherMailsList);
        row.active = identity.active();
        row.userType = identity.userType();
        row.authPolicy = identity.authPolicy();
        row.scimExternalId = identity.details() == null ? null : identity.details().scimExternalId();
        row.linkedAccountId = identity.details() == null ? null : identity.details().linkedAccountId();
        row.updatedAt = Instant.now();
        return row;
    }

    /** Every address and key the identity can be found by (as written to the address index). */
    List<String> addressesOf(IndexedIdentity identity) {
        if (identity == null) {
            return List.of();
        }
        return indexRows(identity).stream().map(row -> row.address).distinct().toList();
    }

    /**
     * The keys a change of this identity re-decides accounts by. Display names are common ("John Smith"), so they
     * fan out: only an Entra user's own change re-decides the accounts that share its name (their name evidence);
     * an account's change decides the account itself, which looks its candidates up by name anyway.
     */
    List<String> changeKeys(IndexedIdentity identity) {
        if (identity == null) {
            return List.of();
        }
        return indexRows(identity).stream()
                .filter(row -> identity.sourceKind == SourceKind.ENTRA || !IdentityAddress.Kind.DISPLAY_NAME.name().equals(row.kind))
                .map(row -> row.address).distinct().toList();
    }

    /** The keys that connect identities for certain: addresses, object ids, account ids; no display names. */
    private List<String> linkKeys(IndexedIdentity identity) {
        return indexRows(identity).stream().filter(row -> !IdentityAddress.Kind.DISPLAY_NAME.name().equals(row.kind))
                .map(row -> row.address).distinct().toList();
    }

    /** Ordered map of outcome -> count with every outcome present. */
    static Map<MatchOutcome, Long> allOutcomes(Map<MatchOutcome, Long> counts) {
        Map<MatchOutcome, Long> ordered = new LinkedHashMap<>();
        for (MatchOutcome outcome : MatchOutcome.values()) {
            ordered.put(outcome, counts.getOrDefault(outcome, 0L));
        }
        return ordered;
    }
}
