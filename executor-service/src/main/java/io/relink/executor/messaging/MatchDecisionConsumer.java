package io.relink.executor.messaging;

import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.executor.service.DecisionService;
import io.relink.support.messaging.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Applies the matcher's decisions idempotently (event id recorded in the same transaction). */
@ApplicationScoped
public class MatchDecisionConsumer {

    static final String CONSUMER = "executor.match-decisions";

    private final DecisionService decisions;
    private final ProcessedEvents processed;

    public MatchDecisionConsumer(DecisionService decisions, ProcessedEvents processed) {
        this.decisions = decisions;
        this.processed = processed;
    }

    @Incoming("match-decisions")
    public Uni<Void> consume(String payload) {
        return processed.consume(CONSUMER, payload, EventTypes.MATCH_DECIDED_V1, MatchDecided.class, decisions::apply);
    }
}
