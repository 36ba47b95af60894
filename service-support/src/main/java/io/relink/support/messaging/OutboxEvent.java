package io.relink.support.messaging;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One event waiting in the transactional outbox; the relay deletes it in the transaction that publishes it. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "message_key")
    public String messageKey;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The W3C trace context the event was written in (null outside a trace); see {@link TraceContext}. */
    @Column(name = "trace_parent")
    public String traceParent;
}
