package io.relink.support.messaging;

import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records an event for publication. Must be called inside the transaction that changes the state
 * the event describes: both commit together or neither does, so no event is lost or invented.
 */
@ApplicationScoped
public class Outbox {

    private final MessagingConfig config;
    private final TraceContext traces;

    public Outbox(MessagingConfig config, TraceContext traces) {
        this.config = config;
        this.traces = traces;
    }

    /**
     * @param logicalTopic a name from {@link io.relink.events.Topics}
     * @param key          Kafka record key; events with the same key keep their order
     */
    public Uni<Void> append(String logicalTopic, String key, String type, Object data) {
        return toRow(logicalTopic, key, type, data).persist().replaceWithVoid();
    }

    /** Writes these rows (see {@link #toRow}) with one statement, in the caller's transaction. */
    public Uni<Void> appendAll(List<OutboxEvent> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        insert into outbox_event (id, topic, message_key, event_type, payload, created_at, trace_parent)
                        select cast(u.id as uuid), u.topic, u.message_key, u.event_type, u.payload, cast(u.created_at as timestamptz),
                               u.trace_parent
                        from unnest(cast(:ids as text[]), cast(:topics as text[]), cast(:keys as text[]), cast(:types as text[]),
                                    cast(:payloads as text[]), cast(:created as text[]), cast(:traces as text[]))
                             as u(id, topic, message_key, event_type, payload, created_at, trace_parent)""")
                .setParameter("ids", rows.stream().map(r -> r.id.toString()).toArray(String[]::new))
                .setParameter("topics", rows.stream().map(r -> r.topic).toArray(String[]::new))
                .setParameter("keys", rows.stream().map(r -> r.messageKey).toArray(String[]::new))
                .setParameter("types", rows.stream().map(r -> r.eventType).toArray(String[]::new))
                .setParameter("payloads", rows.stream().map(r -> r.payload).toArray(String[]::new))
                .setParameter("created", rows.stream().map(r -> r.createdAt.toString()).toArray(String[]::new))
                .setParameter("traces", rows.stream().map(r -> r.traceParent).toArray(String[]::new))
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * An event to send now, not to store in the outbox, with an id and time the caller fixes: a sender that sends it
     * again after a crash (before it recorded that it was sent) gives it the same id, and consumers drop the repeat.
     */
    public OutboxPublisher.Outgoing outgoing(String logicalTopic, String key, String type, Object data, UUID id,
                                             Instant time, String traceParent) {
        EventEnvelope<Object> envelope = new EventEnvelope<>(EventEnvelope.SPEC_VERSION, id.toString(), config.eventSource(),
                type, key, time, EventEnvelope.CONTENT_TYPE, data);
        return new OutboxPublisher.Outgoing(config.topic(logicalTopic), key, EventCodec.encode(envelope), traceParent);
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
        row.traceParent = traces.current();
        return row;
    }
}
