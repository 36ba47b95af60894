package io.relink.inventory.messaging;

import io.quarkus.scheduler.Scheduled;
import io.relink.events.ChangeType;
import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import io.relink.inventory.repository.SnapshotPublicationRepository;
import io.relink.inventory.repository.SnapshotPublicationRepository.Change;
import io.relink.inventory.repository.SnapshotPublicationRepository.Phase;
import io.relink.inventory.repository.SnapshotPublicationRepository.Publication;
import io.relink.support.json.JsonColumns;
import io.relink.support.messaging.MessagingMetrics;
import io.relink.support.messaging.OutboxPublisher;
import io.relink.support.messaging.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Publishes the identity events of applied snapshots straight from their records (see migration V7): one batch of
 * changes per database transaction, which records the publication's new position only after the broker acknowledged
 * the whole batch. A crash in between sends the batch again with the same event ids (consumers drop them): nothing is
 * lost, nothing is applied twice. Publications go out one at a time in the order they were queued, each as its changes
 * in external-id order, then its removals, then snapshot-completed: per identity, events keep the snapshots' order.
 *
 * <p>With several replicas, one batch is in flight at a time: each batch transaction first takes the publisher's
 * advisory lock, or sends nothing this round.
 */
@ApplicationScoped
public class SnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class);

    private final OutboxRelay relay;
    private final Pool pool;
    private final SnapshotPublicationRepository publications;
    private final InventoryEvents events;
    private final JsonColumns json;
    private final InventoryConfig config;
    private final MessagingMetrics metrics;

    public SnapshotPublisher(OutboxRelay relay, Pool pool, SnapshotPublicationRepository publications, InventoryEvents events,
                             JsonColumns json, InventoryConfig config, MessagingMetrics metrics) {
        this.relay = relay;
        this.pool = pool;
        this.publications = publications;
        this.events = events;
        this.json = json;
        this.config = config;
        this.metrics = metrics;
    }

    /** Sends batch after batch while there is something to send; the next round starts where this one stopped. */
    @Scheduled(every = "${relink.messaging.outbox.poll-interval}", delayed = "${relink.messaging.outbox.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> publish() {
        if (relay.publisher() == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(this::publishBatch)
                .repeat().whilst(more -> more)
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf("Snapshot publication failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One step of the oldest publication in one transaction; true when there may be more to send now. */
    Uni<Boolean> publishBatch() {
        return pool.withTransaction(connection -> connection
                .query("select pg_try_advisory_xact_lock(hashtext(current_schema() || '.snapshot-publisher')) as publishing")
                .execute()
                .flatMap(lock -> !lock.iterator().next().getBoolean("publishing") ? Uni.createFrom().item(false)
                        : publications.oldest(connection).flatMap(publication -> publication == null
                        ? Uni.createFrom().item(false) : step(connection, publication).replaceWith(true))));
    }

    private Uni<Void> step(SqlConnection connection, Publication publication) {
        int batchSize = config.eventBatchSize();
        return switch (publication.phase()) {
            case CHANGES -> publications.changes(connection, publication, batchSize).flatMap(changes ->
                    send(changes.stream().map(change -> events.identityChanged(publication,
                            change.added() ? ChangeType.ADDED : ChangeType.CHANGED, change.externalId(),
                            json.read(change.identity(), Identity.class))).toList())
                            .flatMap(sent -> advance(connection, publication, changes, batchSize, Phase.REMOVALS)));
            case REMOVALS -> publications.removals(connection, publication, batchSize).flatMap(removals ->
                    send(removals.stream().map(removal -> events.identityChanged(publication, ChangeType.REMOVED,
                            removal.externalId(), null)).toList())
                            .flatMap(sent -> advance(connection, publication, removals, batchSize, Phase.COMPLETED)));
            case COMPLETED -> send(List.of(events.snapshotCompleted(publication)))
                    .flatMap(sent -> publications.finish(connection, publication.snapshotId()))
                    .invoke(() -> LOG.infof("Snapshot %s v%d of %s: every event published", publication.snapshotId(),
                            publication.version(), publication.sourceName()));
        };
    }

    /** Moves the position past {@code sent}; a batch short of full ends the phase. */
    private Uni<Void> advance(SqlConnection connection, Publication publication, List<Change> sent, int batchSize, Phase next) {
        return sent.size() < batchSize
                ? publications.advance(connection, publication.snapshotId(), next, null, sent.size())
                : publications.advance(connection, publication.snapshotId(), publication.phase(),
                sent.get(sent.size() - 1).externalId(), sent.size());
    }

    private Uni<Void> send(List<OutboxPublisher.Outgoing> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OutboxPublisher publisher = relay.publisher();
        if (publisher == null) {
            return Uni.createFrom().failure(new IllegalStateException("Kafka channel not connected yet"));
        }
        return publisher.sendAll(records).invoke(() -> metrics.published(records.get(0).topic(), records.size()));
    }
}
