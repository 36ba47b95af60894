package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.events.MatchDecided;
import io.relink.executor.ReceivedDecision;
import io.relink.executor.repository.DecisionRepository;
import io.relink.support.json.JsonColumns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps the executor's copy of the newest decision per account. */
@ApplicationScoped
public class DecisionService {

    private final DecisionRepository decisions;
    private final JsonColumns json;
    private final ContinuousIntake intake;

    public DecisionService(DecisionRepository decisions, JsonColumns json, ContinuousIntake intake) {
        this.intake = intake;
        this.decisions = decisions;
        this.json = json;
    }

    /**
     * Stores each account's newest decision of the batch unless a newer revision is already stored (events of one
     * account arrive in order, but replays may not), then offers the stored ones to open continuous campaigns. Runs in
     * the consumer's transaction: one read of the stored decisions for the whole batch.
     */
    public Uni<Void> applyAll(List<MatchDecided> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, MatchDecided> newest = new LinkedHashMap<>();
        for (MatchDecided decided : batch) {
            newest.merge(key(decided), decided, (kept, next) -> next.revision() >= kept.revision() ? next : kept);
        }
        return decisions.list("id in ?1", List.copyOf(newest.keySet())).flatMap(stored -> {
            Map<String, ReceivedDecision> existing = new HashMap<>();
            stored.forEach(row -> existing.put(row.id, row));
            List<ReceivedDecision> changed = new ArrayList<>();
            Instant now = Instant.now();
            newest.forEach((id, decided) -> {
                ReceivedDecision row = existing.get(id);
                if (row != null && row.revision >= decided.revision()) {
                    return;
                }
                changed.add(fill(row == null ? new ReceivedDecision() : row, id, decided, now));
            });
            return decisions.persist(changed).flatMap(ignored -> intake.offerAll(changed));
        });
    }

    private static String key(MatchDecided decided) {
        return decided.atlassianSource() + "/" + decided.accountId();
    }

    private ReceivedDecision fill(ReceivedDecision row, String id, MatchDecided decided, Instant now) {
        row.id = id;
        row.atlassianSource = decided.atlassianSource();
        row.accountId = decided.accountId();
        row.email = decided.email();
        row.displayName = decided.displayName();
        row.outcome = decided.outcome();
        row.idpUserId = decided.idpUserId();
        row.flags = json.write(decided.flags());
        row.currentPolicy = decided.currentPolicy();
        row.reason = decided.reason();
        row.revision = decided.revision();
        row.receivedAt = now;
        return row;
    }

    @WithSession
    public Uni<Long> count(String source) {
        return decisions.countForSource(source);
    }

}
