package io.relink.support.messaging;

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

    private final MutinyEmitter<String> emitter;

    public OutboxPublisher(@Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                           MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Completes when the broker acknowledged the record (acks=all). */
    public Uni<Void> send(String topic, String key, String payload) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(payload).addMetadata(metadata)));
    }
}
