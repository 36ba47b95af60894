package io.relink.matcher.service;

import io.relink.events.ChangeType;
import io.relink.events.EventTypes;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.SourceKind;
import io.relink.events.Topics;
import io.relink.matcher.Decision;
import io.relink.matcher.IndexedIdentity;
import io.relink.matcher.repository.DecisionRepository;
import io.relink.matcher.repository.IdentityRepository;
import io.relink.support.json.JsonColumns;
import io.relink.support.messaging.Outbox;
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
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the identity index current and re-decides exactly the Atlassian accounts a change can affect:
 * those whose email is one of the addresses the changed identity had or has. A decision is published
 * (through the outbox, in the caller's transaction) only when it differs from the previous one.
 */
@ApplicationScoped
public class MatchService {

    private final IdentityRepository identities;
    private final DecisionRepository decisions;
    private final MatchRules rules;
    private final Outbox outbox;
    private final JsonColumns json;

    public MatchService(IdentityRepository identities, DecisionRepository decisions, MatchRules rules, Outbox outbox,
                        JsonColumns json) {
        this.identities = identities;
        this.decisions = decisions;
        this.rules = rules;
        this.outbox = outbox;
        this.json = json;
    }

    /** Applies one identity change; must run inside the consumer's transaction. */
    public Uni<Void> apply(IdentityChanged change) {
        String id = IndexedIdentity.key(change.sourceName(), change.externalId());
        return identities.findById(id).flatMap(previous -> {
            Set<String> addresses = new LinkedHashSet<>(addressesOf(previous));
            Uni<?> write;
            if (change.change() == ChangeType.REMOVED) {
                write = previous == null ? Uni.createFrom().voidItem() : identities.delete(previous);
            } else {
                IndexedIdentity current = toIndexed(change, previous);
                addresses.addAll(addressesOf(current));
                write = identities.persist(current);
            }
            Uni<Void> afterWrite = write.flatMap(ignored -> identities.flush());
            if (change.sourceKind() == SourceKind.ATLASSIAN && change.change() == ChangeType.REMOVED) {
                return afterWrite.flatMap(ignored -> withdraw(change.sourceName(), change.externalId()))
                        .flatMap(ignored -> rematch(addresses));
            }
            return afterWrite.flatMap(ignored -> rematch(addresses));
        });
    }

    /** Re-decides every Atlassian account whose email is one of the addresses, and the accounts competing for their candidates. */
    Uni<Void> rematch(Set<String> addresses) {
        return identities.entraUsersByAddress(addresses).flatMap(entraUsers -> {
            Set<String> widened = new LinkedHashSet<>(addresses);
            entraUsers.forEach(user -> widened.addAll(addressesOf(user)));
            return identities.atlassianAccountsByEmail(widened).flatMap(accounts -> {
                Set<String> accountAddresses = new LinkedHashSet<>();
                accounts.forEach(a -> accountAddresses.add(a.emailNorm));
                return identities.entraUsersByAddress(accountAddresses)
                        .flatMap(candidates -> decideAll(accounts, candidates));
            });
        });
    }

    private Uni<Void> decideAll(List<IndexedIdentity> accounts, List<IndexedIdentity> entraUsers) {
        Map<String, List<IndexedIdentity>> usersByAddress = new HashMap<>();
        for (IndexedIdentity user : entraUsers) {
            Stream.of(user.emailNorm, user.upnNorm).filter(Objects::nonNull).distinct()
                    .forEach(a -> usersByAddress.computeIfAbsent(a, k -> new ArrayList<>()).add(user));
        }
        // How many accounts of each Atlassian source resolve to each Entra user.
        Map<String, Map<String, Integer>> claimsBySource = new HashMap<>();
        for (IndexedIdentity account : accounts) {
            for (IndexedIdentity user : usersByAddress.getOrDefault(account.emailNorm, List.of())) {
                claimsBySource.computeIfAbsent(account.sourceName, s -> new HashMap<>()).merge(user.id, 1, Integer::sum);
            }
        }
        return Multi.createFrom().iterable(accounts)
                .onItem().transformToUniAndConcatenate(account -> record(account,
                        rules.decide(account, usersByAddress.getOrDefault(account.emailNorm, List.of()),
                                claimsBySource.getOrDefault(account.sourceName, Map.of()))))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> record(IndexedIdentity account, Verdict verdict) {
        return decisions.findById(account.id).flatMap(existing -> {
            Decision next = existing == null ? new Decision() : existing;
            String evidence = json.write(verdict.evidence());
            String flags = json.write(verdict.flags());
            String idpUserId = verdict.candidate() == null ? null : verdict.candidate().externalId;
            if (existing != null && existing.outcome == verdict.outcome() && Objects.equals(existing.idpUserId, idpUserId)
                    && Objects.equals(existing.rule, verdict.rule()) && existing.flags.equals(flags)
                    && existing.evidence.equals(evidence) && Objects.equals(existing.currentPolicy, account.authPolicy)
                    && Objects.equals(existing.email, account.email)) {
                return Uni.createFrom().voidItem(); // nothing new to say
            }
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
            return decisions.persist(next).flatMap(saved -> publish(saved, verdict.evidence(), verdict.flags()));
        });
    }

    /** The account left its source: the decision says so, and nothing will be moved for it. */
    private Uni<Void> withdraw(String source, String accountId) {
        return decisions.findById(IndexedIdentity.key(source, accountId)).flatMap(existing -> {
            if (existing == null || existing.outcome == MatchOutcome.SKIPPED && existing.idpUserId == null
                    && "Account is no longer in the source".equals(existing.reason)) {
                return Uni.createFrom().voidItem();
            }
            existing.outcome = MatchOutcome.SKIPPED;
            existing.idpSource = null;
            existing.idpUserId = null;
            existing.confidence = 0;
            existing.rule = null;
            existing.evidence = "[]";
            existing.flags = "[]";
            existing.reason = "Account is no longer in the source";
            existing.revision++;
            existing.decidedAt = Instant.now();
            return publish(existing, List.of(), List.of());
        });
    }

    private Uni<Void> publish(Decision d, List<MatchDecided.Evidence> evidence, List<String> flags) {
        return outbox.append(Topics.MATCH, d.id, EventTypes.MATCH_DECIDED_V1,
                new MatchDecided(d.atlassianSource, d.accountId, d.email, d.displayName, d.outcome, d.idpSource,
                        d.idpUserId, d.confidence, d.rule, evidence, flags, d.currentPolicy, d.reason, d.revision));
    }

    private IndexedIdentity toIndexed(IdentityChanged change, IndexedIdentity previous) {
        Identity identity = change.identity();
        IndexedIdentity row = previous == null ? new IndexedIdentity() : previous;
        row.id = IndexedIdentity.key(change.sourceName(), change.externalId());
        row.sourceName = change.sourceName();
        row.sourceKind = change.sourceKind();
        row.externalId = change.externalId();
        row.displayName = identity.displayName();
        row.email = identity.email();
        row.emailNorm = identity.emailNormalized();
        row.upnNorm = identity.userPrincipalNameNormalized();
        row.secondary = json.write(identity.secondaryEmailsNormalized() == null ? List.of() : identity.secondaryEmailsNormalized());
        row.active = identity.active();
        row.userType = identity.userType();
        row.authPolicy = identity.authPolicy();
        row.updatedAt = Instant.now();
        return row;
    }

    private static List<String> addressesOf(IndexedIdentity identity) {
        if (identity == null) {
            return List.of();
        }
        return Stream.of(identity.emailNorm, identity.upnNorm).filter(Objects::nonNull).distinct().toList();
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
