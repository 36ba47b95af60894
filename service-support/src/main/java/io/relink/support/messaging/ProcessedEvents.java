package io.relink.support.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The processed-event log of idempotent consumers. Call {@link #firstDelivery} inside the transaction
 * that applies the event: the insert and the effect commit together, so a redelivered event is seen
 * as already processed and skipped.
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final Logger LOG = Logger.getLogger(ProcessedEvents.class);

    private final MessagingConfig.Consumer retries;

    public ProcessedEvents(MessagingConfig config) {
        this.retries = config.consumer();
    }

    /**
     * The whole of an idempotent consumer: decodes the record (an unreadable one fails, so the channel sends
     * it to its dead-letter topic), ignores other event types, and applies {@code effect} once per event id,
     * retrying as {@link MessagingConfig.Consumer} says.
     */
    public <T> Uni<Void> consume(String consumer, String payload, String type, Class<T> dataType,
                                 Function<T, Uni<Void>> effect) {
        EventEnvelope<JsonNode> event = EventCodec.decode(payload);
        if (!type.equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        T data = EventCodec.data(event, dataType);
        return withRetries(consumer, event, applyOnce(consumer, event, () -> effect.apply(data)));
    }

    /** Retries infrastructure failures until they clear, others a few times (see {@link MessagingConfig.Consumer}). */
    public Uni<Void> withRetries(String consumer, EventEnvelope<?> event, Uni<Void> apply) {
        return apply
                .onFailure(ConsumerFailures::isTransient).invoke(e -> LOG.warnf("%s: event %s not applied, retrying until "
                        + "the infrastructure recovers: %s", consumer, event.id(), ConsumerFailures.describe(e)))
                .onFailure(ConsumerFailures::isTransient).retry()
                .withBackOff(retries.initialBackoff(), retries.maxBackoff()).indefinitely()
                .onFailure().invoke(e -> LOG.warnf("%s: event %s failed: %s", consumer, event.id(), ConsumerFailures.describe(e)))
                .onFailure().retry().withBackOff(retries.initialBackoff(), retries.maxBackoff())
                .atMost(Math.max(0, retries.maxAttempts() - 1));
    }

    /**
     * Runs {@code effect} in a new transaction unless this consumer already processed the event; the
     * event id is recorded in that same transaction.
     */
    public Uni<Void> applyOnce(String consumer, EventEnvelope<?> event, Supplier<Uni<Void>> effect) {
        return Panache.withTransaction(() -> firstDelivery(consumer, event.id(), event.type()).flatMap(first -> {
            if (!first) {
                LOG.debugf("%s: skipping redelivered event %s", consumer, event.id());
                return Uni.createFrom().voidItem();
            }
            return effect.get();
        }));
    }

    /** @return true when this consumer has not processed this event before (and now has recorded it) */
    public Uni<Boolean> firstDelivery(String consumer, String eventId, String eventType) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("insert into processed_event (consumer, event_id, event_type) values (:c, :e, :t)"
                        + " on conflict do nothing")
                .setParameter("c", consumer)
                .setParameter("e", eventId)
                .setParameter("t", eventType)
                .executeUpdate()
                .map(inserted -> inserted == 1));
    }
}
