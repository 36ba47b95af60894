package io.relink.support.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Publishes outbox rows to Kafka, then marks them sent, in one database transaction per batch.
 *
 * <p>Rows are locked with {@code FOR UPDATE SKIP LOCKED}, so several replicas can relay side by side
 * without sending a row twice concurrently. A crash between the broker's acknowledgement and the
 * commit re-sends the batch: delivery is at-least-once and consumers drop duplicates by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Instance<OutboxPublisher> publishers;
    private final MessagingConfig config;
    private volatile OutboxPublisher publisher;

    public OutboxRelay(Instance<OutboxPublisher> publishers, MessagingConfig config) {
        this.publishers = publishers;
        this.config = config;
    }

    /** The publisher, or null while the Kafka channel is not wired yet (the first seconds after start). */
    private OutboxPublisher publisher() {
        if (publisher == null) {
            try {
                publisher = publishers.get();
            } catch (RuntimeException notWiredYet) {
                LOG.debugf("Kafka channel not connected yet: %s", notWiredYet.getMessage());
            }
        }
        return publisher;
    }

    /** Drains the outbox batch by batch; the delay lets the Kafka channel connect before the first run. */
    @Scheduled(every = "${relink.messaging.outbox.poll-interval}", delayed = "${relink.messaging.outbox.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        if (publisher() == null) {
            return Uni.createFrom().voidItem();
        }
        int batchSize = config.outbox().batchSize();
        return Uni.createFrom().deferred(this::publishBatch)
                .repeat().whilst(sent -> sent == batchSize)
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf("Outbox relay failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Publishes one batch; returns the number of events sent. */
    public Uni<Integer> publishBatch() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("select * from outbox_event where published_at is null"
                        + " order by created_at, id limit :limit for update skip locked", OutboxEvent.class)
                .setParameter("limit", config.outbox().batchSize())
                .getResultList()
                .flatMap(rows -> rows.isEmpty() ? Uni.createFrom().item(0) : sendAll(rows))));
    }

    private Uni<Integer> sendAll(List<OutboxEvent> rows) {
        OutboxPublisher sender = publisher();
        if (sender == null) {
            return Uni.createFrom().failure(new IllegalStateException("Kafka channel not connected yet"));
        }
        List<Uni<Void>> sends = rows.stream().map(sender::send).toList();
        List<UUID> ids = rows.stream().map(row -> row.id).toList();
        return Uni.join().all(sends).andFailFast()
                .flatMap(ignored -> OutboxEvent.update("publishedAt = ?1 where id in ?2", Instant.now(), ids))
                .invoke(count -> LOG.debugf("Relayed %d outbox events", count))
                .replaceWith(rows.size());
    }
}
