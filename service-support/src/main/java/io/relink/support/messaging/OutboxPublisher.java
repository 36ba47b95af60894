package io.relink.support.messaging;

import io.relink.events.CloudEventsBinary;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.Dependent;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends outbox rows to Kafka, each to the topic and key stored in its row. Dependent-scoped so that
 * {@link OutboxRelay} can obtain it lazily: creating it fails until the Kafka channel is wired at start-up.
 */
@Dependent
public class OutboxPublisher {

    private static final java.util.Map<String, String> STRUCTURED =
            java.util.Map.of(CloudEventsBinary.CONTENT_TYPE_HEADER, CloudEventsBinary.STRUCTURED_CONTENT_TYPE);

    private final MutinyEmitter<String> emitter;
    private final MessagingConfig.CloudEventsMode mode;

    public OutboxPublisher(@Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                           MutinyEmitter<String> emitter, MessagingConfig config) {
        this.emitter = emitter;
        this.mode = config.cloudeventsMode();
    }

    /**
     * Sends one event, stored as a structured envelope, in the configured CloudEvents mode, with the trace context it
     * was written in (if any); completes when the broker acknowledged the record (acks=all).
     */
    public Uni<Void> send(String topic, String key, String envelope, String traceParent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceParent != null) {
            KafkaHeaders.addAll(headers, java.util.Map.of(TraceContext.HEADER, traceParent));
        }
        String value = envelope;
        if (mode == MessagingConfig.CloudEventsMode.BINARY) {
            CloudEventsBinary.Record binary = CloudEventsBinary.of(envelope);
            KafkaHeaders.addAll(headers, binary.headers());
            value = binary.value();
        } else {
            KafkaHeaders.addAll(headers, STRUCTURED);
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(headers)
                .build();
        Message<String> message = Message.of(value).addMetadata(metadata);
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message));
    }
}
