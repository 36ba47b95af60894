package io.relink.executor.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
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
        EventEnvelope<JsonNode> event = EventCodec.decode(payload);
        if (!EventTypes.MATCH_DECIDED_V1.equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        MatchDecided decided = EventCodec.data(event, MatchDecided.class);
        return processed.applyOnce(CONSUMER, event, () -> decisions.apply(decided));
    }
}
