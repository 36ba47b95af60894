package io.relink.support.messaging;

import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Records an event for publication. Must be called inside the transaction that changes the state
 * the event describes: both commit together or neither does, so no event is lost or invented.
 */
@ApplicationScoped
public class Outbox {

    private final MessagingConfig config;

    public Outbox(MessagingConfig config) {
        this.config = config;
    }

    /**
     * @param logicalTopic a name from {@link io.relink.events.Topics}
     * @param key          Kafka record key; events with the same key keep their order
     */
    public Uni<Void> append(String logicalTopic, String key, String type, Object data) {
        return toRow(logicalTopic, key, type, data).persist().replaceWithVoid();
    }

    /** Builds the row without persisting it, for callers that persist many rows in one batch. */
    public OutboxEvent toRow(String logicalTopic, String key, String type, Object data) {
        EventEnvelope<Object> envelope = EventEnvelope.of(config.eventSource(), type, key, data);
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.fromString(envelope.id());
        row.topic = config.topic(logicalTopic);
        row.messageKey = key;
        row.eventType = type;
        row.payload = EventCodec.encode(envelope);
        row.createdAt = envelope.time();
        return row;
    }
}
