package io.relink.support.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
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
    private final MessagingMetrics metrics;
    private final TraceContext traces;
    private final OutboxRelay relay;

    public ProcessedEvents(MessagingConfig config, MessagingMetrics metrics, TraceContext traces, OutboxRelay relay) {
        this.traces = traces;
        this.relay = relay;
        this.retries = config.consumer();
        this.metrics = metrics;
    }

    /**
     * The whole of an idempotent consumer: decodes the record (an unreadable one fails, so the channel sends
     * it to its dead-letter topic), ignores other event types, and applies {@code effect} once per event id,
     * retrying as {@link MessagingConfig.Consumer} says.
     */
    public <T> Uni<Void> consume(String consumer, Map<String, String> headers, String payload, String type,
                                 Class<T> dataType, Function<T, Uni<Void>> effect) {
        EventEnvelope<JsonNode> event;
        T data;
        try {
            event = EventCodec.decode(headers, payload);
            if (!type.equals(event.type())) {
                return Uni.createFrom().voidItem();
            }
            data = EventCodec.data(event, dataType);
        } catch (RuntimeException unreadable) {
            metrics.consumed(consumer, MessagingMetrics.DEAD_LETTERED, 1);
            throw unreadable;
        }
        return traces.consuming(consumer, List.of(headers), () -> applyCounted(consumer, event, () -> effect.apply(data))
                .onFailure().invoke(() -> metrics.consumed(consumer, MessagingMetrics.DEAD_LETTERED, 1)));
    }

    /** {@link #applyOnce} with {@link #withRetries}, counted as applied or as a duplicate. */
    private Uni<Void> applyCounted(String consumer, EventEnvelope<?> event, Supplier<Uni<Void>> effect) {
        AtomicBoolean first = new AtomicBoolean();
        return withRetries(consumer, event, applyOnce(consumer, event, () -> {
                    first.set(true);
                    return effect.get();
                }))
                .invoke(() -> metrics.consumed(consumer, first.get() ? MessagingMetrics.APPLIED : MessagingMetrics.DUPLICATE, 1));
    }

    /** One record of a batch as the broker delivered it. */
    public record Delivery(String key, RecordValue value, String topic, int partition, long offset) {

        /** A record of a batch whose value was taken as text ({@code StringDeserializer}). */
        public static Delivery of(KafkaRecord<String, String> record) {
            return of(record, RecordValue.text(KafkaHeaders.asMap(record.getHeaders()), record.getPayload()));
        }

        /** A record of a batch whose event the channel's {@link EventDeserializer} decoded. */
        public static Delivery ofEvent(KafkaRecord<String, RecordValue> record) {
            return of(record, record.getPayload());
        }

        private static Delivery of(KafkaRecord<String, ?> record, RecordValue value) {
            return new Delivery(record.getKey(), value, record.getTopic(), record.getPartition(),
                    record.getMetadata(IncomingKafkaRecordMetadata.class).map(metadata -> metadata.getOffset()).orElse(-1L));
        }

        public Map<String, String> headers() {
            return value.headers();
        }

        public String payload() {
            return value.payload();
        }
    }

    /**
     * The whole of an idempotent batch consumer: decodes every record (unreadable ones go to {@code deadLetter} at
     * once), ignores other event types, and applies {@code effect} to the events of the batch this consumer has not
     * processed before, in one transaction that records their ids. Infrastructure failures are retried until they
     * clear. Any other failure of the batch falls back to one event at a time, each retried as
     * {@link MessagingConfig.Consumer} says and then dead-lettered, so that one bad event stops neither the others
     * nor the stream.
     */
    public <T> Uni<Void> consumeBatch(String consumer, List<Delivery> records, String type, Class<T> dataType,
                                      Function<List<T>, Uni<Void>> effect, BiFunction<Delivery, Throwable, Uni<Void>> deadLetter) {
        List<Uni<Void>> unreadable = new ArrayList<>();
        Map<String, Decoded<T>> events = new LinkedHashMap<>();
        for (Delivery record : records) {
            try {
                EventEnvelope<?> event = record.value().event();
                if (type.equals(event.type())) {
                    events.putIfAbsent(event.id(), new Decoded<>(record, event, record.value().data(dataType)));
                }
            } catch (RuntimeException malformed) {
                LOG.warnf("%s: unreadable record %s-%d@%d goes to the dead-letter topic: %s", consumer, record.topic(),
                        record.partition(), record.offset(), malformed.getMessage());
                unreadable.add(deadLetter.apply(record, malformed)
                        .invoke(() -> metrics.consumed(consumer, MessagingMetrics.DEAD_LETTERED, 1)));
            }
        }
        Uni<Void> deadLettered = unreadable.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(unreadable).andFailFast().replaceWithVoid();
        if (events.isEmpty()) {
            return deadLettered;
        }
        String label = "batch of " + events.size() + " events";
        long started = System.nanoTime();
        AtomicInteger applied = new AtomicInteger();
        Uni<Void> batch = Panache.withTransaction(() -> firstDeliveries(consumer, events.values()).flatMap(first -> {
            List<T> fresh = events.values().stream().filter(e -> first.contains(e.event().id())).map(Decoded::data).toList();
            applied.set(fresh.size());
            return fresh.isEmpty() ? Uni.createFrom().voidItem() : effect.apply(fresh);
        })).invoke(() -> {
            relay.relaySoon(); // what the batch wrote to the outbox goes out now, not at the next poll
            metrics.consumed(consumer, MessagingMetrics.APPLIED, applied.get());
            metrics.consumed(consumer, MessagingMetrics.DUPLICATE, events.size() - applied.get());
            LOG.debugf("%s: %s applied in %d ms", consumer, label, (System.nanoTime() - started) / 1_000_000);
        });
        List<Map<String, String>> traced = events.values().stream().map(e -> e.record().headers()).toList();
        return traces.consuming(consumer, traced, () -> deadLettered.flatMap(ignored -> untilInfrastructureRecovers(consumer, label, batch))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("%s: %s failed (%s); applying its events one at a time", consumer, label,
                            ConsumerFailures.describe(failure));
                    return Multi.createFrom().iterable(events.values()).onItem().transformToUniAndConcatenate(e ->
                                    applyCounted(consumer, e.event(), () -> effect.apply(List.of(e.data())))
                                            .onFailure().recoverWithUni(error -> deadLetter.apply(e.record(), error)
                                                    .invoke(() -> metrics.consumed(consumer, MessagingMetrics.DEAD_LETTERED, 1))))
                            .collect().last().replaceWithVoid();
                }));
    }

    private record Decoded<T>(Delivery record, EventEnvelope<?> event, T data) {
    }

    /** The ids of these events this consumer had not processed before (now recorded), in one statement. */
    private Uni<Set<String>> firstDeliveries(String consumer, Collection<? extends Decoded<?>> events) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("insert into processed_event (consumer, event_id, event_type) select :c, u.id, u.type "
                        + "from unnest(cast(:ids as text[]), cast(:types as text[])) as u(id, type) on conflict do nothing "
                        + "returning event_id", String.class)
                .setParameter("c", consumer)
                .setParameter("ids", events.stream().map(e -> e.event().id()).toArray(String[]::new))
                .setParameter("types", events.stream().map(e -> e.event().type()).toArray(String[]::new))
                .getResultList())
                .map(HashSet::new);
    }

    /** Retries infrastructure failures until they clear, others a few times (see {@link MessagingConfig.Consumer}). */
    public Uni<Void> withRetries(String consumer, EventEnvelope<?> event, Uni<Void> apply) {
        return untilInfrastructureRecovers(consumer, "event " + event.id(), apply)
                .onFailure().invoke(e -> LOG.warnf("%s: event %s failed: %s", consumer, event.id(), ConsumerFailures.describe(e)))
                .onFailure().retry().withBackOff(retries.initialBackoff(), retries.maxBackoff())
                .atMost(Math.max(0, retries.maxAttempts() - 1));
    }

    private Uni<Void> untilInfrastructureRecovers(String consumer, String what, Uni<Void> apply) {
        return apply
                .onFailure(ConsumerFailures::isTransient).invoke(e -> LOG.warnf("%s: %s not applied, retrying until "
                        + "the infrastructure recovers: %s", consumer, what, ConsumerFailures.describe(e)))
                .onFailure(ConsumerFailures::isTransient).retry()
                .withBackOff(retries.initialBackoff(), retries.maxBackoff()).indefinitely();
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
