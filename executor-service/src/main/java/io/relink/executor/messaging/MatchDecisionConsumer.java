package io.relink.executor.messaging;

import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.executor.service.DecisionService;
import io.relink.support.messaging.DeadLetters;
import io.relink.support.messaging.ProcessedEvents;
import io.relink.support.messaging.RecordValue;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies the matcher's decisions a poll at a time (up to {@code max.poll.records}), idempotently: the event ids are
 * recorded in the transaction that applies them. One transaction per decision took in ~250 decisions/s, an hour for a
 * million-account org. A record that cannot be read, or a decision that keeps failing on its own, goes to the
 * dead-letter topic and does not stop the stream.
 */
@ApplicationScoped
public class MatchDecisionConsumer {

    static final String CONSUMER = "executor.match-decisions";

    private final DecisionService decisions;
    private final ProcessedEvents processed;
    private final MutinyEmitter<String> deadLetters;

    public MatchDecisionConsumer(DecisionService decisions, ProcessedEvents processed,
                                 @Channel("match-dead-letters") MutinyEmitter<String> deadLetters) {
        this.decisions = decisions;
        this.processed = processed;
        this.deadLetters = deadLetters;
    }

    @Incoming("match-decisions")
    public Uni<Void> consume(KafkaRecordBatch<String, RecordValue> batch) {
        var records = batch.getRecords().stream().map(ProcessedEvents.Delivery::ofEvent).toList();
        return processed.consumeBatch(CONSUMER, records, EventTypes.MATCH_DECIDED_V1, MatchDecided.class,
                        decisions::applyAll, (record, reason) -> deadLetters.sendMessage(DeadLetters.of(record, reason)))
                .call(() -> Uni.createFrom().completionStage(batch.ack()));
    }
}
