package io.relink.matcher.messaging;

import io.relink.events.EventTypes;
import io.relink.events.IdentityChanged;
import io.relink.matcher.service.MatchService;
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
 * Applies inventory's identity events a poll at a time (up to {@code max.poll.records}): a snapshot of a million
 * identities is a million events, and one transaction per event cannot keep up. Event ids are recorded in the
 * transaction that applies them, so a redelivery (after a crash or a rebalance) changes nothing. A record that cannot
 * be read, or an event that keeps failing on its own, goes to the dead-letter topic and does not stop the stream.
 * The decisions a batch wrote go out as soon as it commits ({@link DecisionPublisher}).
 * Snapshot-completed events need nothing here yet.
 */
@ApplicationScoped
public class IdentityEventConsumer {

    static final String CONSUMER = "matcher.identity-events";

    private final MatchService matches;
    private final ProcessedEvents processed;
    private final MutinyEmitter<String> deadLetters;
    private final DecisionPublisher decisions;

    public IdentityEventConsumer(MatchService matches, ProcessedEvents processed, DecisionPublisher decisions,
                                 @Channel("identity-dead-letters") MutinyEmitter<String> deadLetters) {
        this.decisions = decisions;
        this.matches = matches;
        this.processed = processed;
        this.deadLetters = deadLetters;
    }

    @Incoming("identity-events")
    public Uni<Void> consume(KafkaRecordBatch<String, RecordValue> batch) {
        var records = batch.getRecords().stream().map(ProcessedEvents.Delivery::ofEvent).toList();
        return processed.consumeBatch(CONSUMER, records, EventTypes.IDENTITY_CHANGED_V1, IdentityChanged.class,
                        matches::applyAll, (record, reason) -> deadLetters.sendMessage(DeadLetters.of(record, reason)))
                .invoke(decisions::publishSoon)
                .call(() -> Uni.createFrom().completionStage(batch.ack()));
    }
}
