package io.relink.support.messaging;

import io.relink.events.CloudEventsBinary;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.Dependent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends outbox rows to Kafka, each to the topic and key stored in its row, through the producer of the {@code outbox}
 * channel (its settings: acks=all, idempotence). Dependent-scoped so that {@link OutboxRelay} can obtain it lazily:
 * creating it fails until the Kafka channel is wired at start-up.
 *
 * <p>A batch is handed to the producer in one task on the channel's sending thread, not as one emitter message per
 * row: the per-message path (a message, its metadata and a captured context each) made relaying 300,000 events take
 * 31 s instead of 22 s (13–18 s with the 2,000-row batches and lz4; BENCHMARKS.md, history).
 */
@Dependent
public class OutboxPublisher {

    private static final Map<String, String> STRUCTURED =
            Map.of(CloudEventsBinary.CONTENT_TYPE_HEADER, CloudEventsBinary.STRUCTURED_CONTENT_TYPE);

    /** One outbox row to send: its topic and key, the event as a structured envelope, the trace it was written in. */
    public record Outgoing(String topic, String key, String envelope, String traceParent) {
    }

    private final KafkaProducer<String, String> producer;
    private final MessagingConfig.CloudEventsMode mode;

    /** The emitter is what declares the {@code outbox} channel (and so creates its producer); records bypass it. */
    public OutboxPublisher(@Channel("outbox") MutinyEmitter<String> channel, KafkaClientService kafka, MessagingConfig config) {
        this.producer = kafka.getProducer("outbox");
        if (producer == null) {
            throw new IllegalStateException("the Kafka channel 'outbox' is not wired yet");
        }
        this.mode = config.cloudeventsMode();
    }

    /**
     * Sends the records in their order (per partition, the order consumers see); completes, on the caller's Vert.x
     * context, once the broker acknowledged every one, or fails when any failed.
     */
    public Uni<Void> sendAll(List<Outgoing> records) {
        Context caller = Vertx.currentContext();
        Uni<Void> acknowledged = producer.runOnSendingThread(kafka -> {
                    CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
                    for (int i = 0; i < records.size(); i++) {
                        CompletableFuture<Void> ack = new CompletableFuture<>();
                        acks[i] = ack;
                        kafka.send(record(records.get(i)), (metadata, error) -> {
                            if (error == null) {
                                ack.complete(null);
                            } else {
                                ack.completeExceptionally(error);
                            }
                        });
                    }
                    return CompletableFuture.allOf(acks);
                })
                .flatMap(all -> Uni.createFrom().completionStage(all))
                .replaceWithVoid();
        // The acknowledgements arrive on Kafka's network thread; the relay goes on with its database transaction.
        return caller == null ? acknowledged : acknowledged.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** The record of one row, in the configured CloudEvents mode, with its trace context (if any). */
    private ProducerRecord<String, String> record(Outgoing outgoing) {
        RecordHeaders headers = new RecordHeaders();
        if (outgoing.traceParent() != null) {
            KafkaHeaders.addAll(headers, Map.of(TraceContext.HEADER, outgoing.traceParent()));
        }
        String value = outgoing.envelope();
        if (mode == MessagingConfig.CloudEventsMode.BINARY) {
            CloudEventsBinary.Record binary = CloudEventsBinary.of(outgoing.envelope());
            KafkaHeaders.addAll(headers, binary.headers());
            value = binary.value();
        } else {
            KafkaHeaders.addAll(headers, STRUCTURED);
        }
        return new ProducerRecord<>(outgoing.topic(), null, outgoing.key(), value, headers);
    }
}
