package io.relink.executor.messaging;

import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.executor.service.DecisionService;
import io.relink.support.messaging.KafkaHeaders;
import io.relink.support.messaging.ProcessedEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    /** The whole record: a binary-mode event's attributes are in its headers. */
    @Incoming("match-decisions")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return processed.consume(CONSUMER, KafkaHeaders.asMap(record.headers()), record.value(), EventTypes.MATCH_DECIDED_V1,
                MatchDecided.class, decisions::apply);
    }
}
