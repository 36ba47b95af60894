package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.events.MatchDecided;
import io.relink.executor.ReceivedDecision;
import io.relink.executor.repository.DecisionRepository;
import io.relink.support.json.JsonColumns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

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

    /** Stores the decision unless a newer revision is already stored (events of one account arrive in order, but replays may not). */
    public Uni<Void> apply(MatchDecided decided) {
        String id = decided.atlassianSource() + "/" + decided.accountId();
        return decisions.findById(id).flatMap(existing -> {
            if (existing != null && existing.revision >= decided.revision()) {
                return Uni.createFrom().voidItem();
            }
            ReceivedDecision row = existing == null ? new ReceivedDecision() : existing;
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
            row.receivedAt = Instant.now();
            return decisions.persist(row).flatMap(intake::offer);
        });
    }

    @WithSession
    public Uni<Long> count(String source) {
        return decisions.countForSource(source);
    }

}
