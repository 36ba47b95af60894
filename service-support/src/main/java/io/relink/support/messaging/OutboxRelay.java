package io.relink.support.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
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

    private final MutinyEmitter<String> emitter;
    private final MessagingConfig config;

    public OutboxRelay(@Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                       MutinyEmitter<String> emitter, MessagingConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /** Drains the outbox batch by batch; the delay lets the Kafka channel connect before the first run. */
    @Scheduled(every = "${relink.messaging.outbox.poll-interval}", delayed = "${relink.messaging.outbox.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
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
        List<Uni<Void>> sends = rows.stream().map(this::send).toList();
        List<UUID> ids = rows.stream().map(row -> row.id).toList();
        return Uni.join().all(sends).andFailFast()
                .flatMap(ignored -> OutboxEvent.update("publishedAt = ?1 where id in ?2", Instant.now(), ids))
                .invoke(count -> LOG.debugf("Relayed %d outbox events", count))
                .replaceWith(rows.size());
    }

    private Uni<Void> send(OutboxEvent row) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic)
                .withKey(row.messageKey)
                .build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(row.payload).addMetadata(metadata)));
    }
}
