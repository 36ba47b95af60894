package io.relink.inventory.messaging;

import io.quarkus.scheduler.Scheduled;
import io.relink.events.ChangeType;
import io.relink.inventory.config.InventoryConfig;
import io.relink.inventory.repository.SnapshotPublicationRepository;
import io.relink.inventory.repository.SnapshotPublicationRepository.Change;
import io.relink.inventory.repository.SnapshotPublicationRepository.Phase;
import io.relink.inventory.repository.SnapshotPublicationRepository.Publication;
import io.relink.support.messaging.OutboxPublisher;
import io.relink.support.messaging.OutboxRelay;
import io.relink.support.messaging.SenderLock;
import io.relink.support.messaging.SingleRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes the identity events of applied snapshots straight from their records (see migration V7): a few batches of
 * changes per database transaction, which records the publication's new position only after the broker acknowledged
 * all of them. A crash in between sends those batches again with the same event ids (consumers drop them): nothing
 * is lost, nothing is applied twice. Publications go out one at a time in the order they were queued, each as its changes
 * in external-id order, then its removals, then snapshot-completed: per identity, events keep the snapshots' order.
 *
 * <p>With several replicas, one batch is in flight at a time: each batch transaction first takes the publisher's
 * advisory lock ({@link SenderLock}), or sends nothing this round.
 */
@ApplicationScoped
public class SnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class);

    private final OutboxRelay relay;
    private final Pool pool;
    private final SnapshotPublicationRepository publications;
    private final InventoryEvents events;
    private final InventoryConfig config;
    private final SingleRun runs = new SingleRun("Snapshot publication");

    public SnapshotPublisher(OutboxRelay relay, Pool pool, SnapshotPublicationRepository publications, InventoryEvents events,
                             InventoryConfig config) {
        this.relay = relay;
        this.pool = pool;
        this.publications = publications;
        this.events = events;
        this.config = config;
    }

    /** Sends batch after batch while there is something to send; the next round starts where this one stopped. */
    @Scheduled(every = "${relink.messaging.outbox.poll-interval}", delayed = "${relink.messaging.outbox.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> publish() {
        return relay.drain(runs, this::publishBatch);
    }

    /** Starts a run now unless one is under way: a snapshot just applied does not wait for the poll (up to 1 s). */
    public void publishSoon() {
        runs.startNow(this::publish);
    }

    /** One step of the oldest publication in one transaction; true when there may be more to send now. */
    Uni<Boolean> publishBatch() {
        return SenderLock.inTransaction(pool, "snapshot-publisher", false, connection -> publications.oldest(connection)
                .flatMap(publication -> publication == null ? Uni.createFrom().item(false)
                        : step(connection, publication).replaceWith(true)));
    }

    private Uni<Void> step(SqlConnection connection, Publication publication) {
        return switch (publication.phase()) {
            case CHANGES, REMOVALS -> sendBatches(connection, publication, config.eventBatchesPerTransaction(), 0,
                    new ArrayList<>());
            case COMPLETED -> relay.send(List.of(events.snapshotCompleted(publication)))
                    .flatMap(sent -> publications.finish(connection, publication.snapshotId()))
                    .invoke(() -> LOG.infof("Snapshot %s v%d of %s: every event published", publication.snapshotId(),
                            publication.version(), publication.sourceName()));
        };
    }

    /**
     * Reads, builds and hands to the producer up to {@code batchesLeft} batches of the publication's phase, each
     * while the one before is still on its way to the broker (reading the next batch overlaps sending this one);
     * then waits for every acknowledgement and records the position after the last batch, or the next phase when a
     * batch came back short of full.
     */
    private Uni<Void> sendBatches(SqlConnection connection, Publication publication, int batchesLeft, int sent,
                                  List<CompletableFuture<Void>> inFlight) {
        int batchSize = config.eventBatchSize();
        boolean changes = publication.phase() == Phase.CHANGES;
        return (changes ? publications.changes(connection, publication, batchSize)
                : publications.removals(connection, publication, batchSize)).flatMap(batch -> {
            inFlight.add(relay.send(batch.stream().map(change -> event(publication, change)).toList()).subscribeAsCompletionStage());
            int total = sent + batch.size();
            if (batch.size() == batchSize && batchesLeft > 1) {
                return sendBatches(connection, publication.at(batch.get(batch.size() - 1).externalId()), batchesLeft - 1,
                        total, inFlight);
            }
            Uni<Void> acknowledged = Uni.createFrom().completionStage(CompletableFuture.allOf(
                    inFlight.toArray(CompletableFuture[]::new)));
            return batch.size() < batchSize
                    ? acknowledged.flatMap(ignored -> publications.advance(connection, publication.snapshotId(),
                    changes ? Phase.REMOVALS : Phase.COMPLETED, null, total))
                    : acknowledged.flatMap(ignored -> publications.advance(connection, publication.snapshotId(),
                    publication.phase(), batch.get(batch.size() - 1).externalId(), total));
        });
    }

    private OutboxPublisher.Outgoing event(Publication publication, Change change) {
        if (publication.phase() == Phase.REMOVALS) {
            return events.identityChanged(publication, ChangeType.REMOVED, change.externalId(), null);
        }
        return events.identityChanged(publication, change.added() ? ChangeType.ADDED : ChangeType.CHANGED,
                change.externalId(), change.identity());
    }
}
