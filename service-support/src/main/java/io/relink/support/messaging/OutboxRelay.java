package io.relink.support.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Publishes outbox rows to Kafka and deletes them, in one database transaction per batch: the batch is deleted
 * (rows locked with {@code FOR UPDATE SKIP LOCKED}), sent, and the deletion commits only once the broker acknowledged
 * every record. A failed send or a crash before the commit leaves the rows in place to be sent again: delivery is
 * at-least-once and consumers drop duplicates by event id. Rows go out in the order they were written.
 *
 * <p>With several replicas, one batch is in flight at a time: each batch transaction first takes the service's relay
 * lock ({@link SenderLock}) or, if another replica holds it, sends nothing this round. Two
 * replicas sending consecutive batches side by side could deliver a later event of a key before an earlier one.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Instance<OutboxPublisher> publishers;
    private final MessagingConfig config;
    private final Pool pool;
    private final MessagingMetrics metrics;
    private volatile OutboxPublisher publisher;
    private final SingleRun runs = new SingleRun("Outbox relay");

    public OutboxRelay(Instance<OutboxPublisher> publishers, MessagingConfig config, Pool pool, MessagingMetrics metrics) {
        this.metrics = metrics;
        this.publishers = publishers;
        this.config = config;
        this.pool = pool;
    }

    /**
     * The publisher, or null while the Kafka channel is not wired yet (the first seconds after start); also for senders
     * that publish from tables of their own (inventory's snapshot publisher).
     */
    public OutboxPublisher publisher() {
        if (publisher == null) {
            try {
                publisher = publishers.get();
            } catch (RuntimeException notWiredYet) {
                LOG.debugf("Kafka channel not connected yet: %s", notWiredYet.getMessage());
            }
        }
        return publisher;
    }

    /**
     * Drains the outbox batch by batch; the delay lets the Kafka channel connect before the first run. Within one
     * run, each batch starts after the last row the previous one sent: deleted rows stay in the index until vacuum,
     * and scanning past them from the start on every batch made a million-event drain slow down as it went. Each run
     * starts from the beginning again, so a row another replica held locked (and then left) is never skipped for long.
     */
    @Scheduled(every = "${relink.messaging.outbox.poll-interval}", delayed = "${relink.messaging.outbox.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        int batchSize = config.outbox().batchSize();
        java.util.concurrent.atomic.AtomicReference<Position> after = new java.util.concurrent.atomic.AtomicReference<>();
        return drain(runs, () -> publishBatch(after.get()).invoke(batch -> after.set(batch.last()))
                .map(batch -> batch.sent() == batchSize));
    }

    /**
     * Starts a run now unless one is under way (which, or the next poll, sends what was just written): for a consumer
     * that has just committed events, so that they do not wait for the poll (up to a second on every hop).
     */
    public void relaySoon() {
        runs.startNow(this::relay);
    }

    /**
     * Sends records that senders with tables of their own built (inventory's snapshot publisher, the matcher's decision
     * publisher) through the outbox channel's producer, in their order, and counts them; fails while the channel is not
     * connected yet.
     */
    public Uni<Void> send(List<OutboxPublisher.Outgoing> records) {
        OutboxPublisher sender = publisher();
        if (sender == null) {
            return Uni.createFrom().failure(new IllegalStateException("Kafka channel not connected yet"));
        }
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sender.sendAll(records).invoke(() -> records.stream().collect(java.util.stream.Collectors.groupingBy(
                OutboxPublisher.Outgoing::topic, java.util.stream.Collectors.counting())).forEach(metrics::published));
    }

    /**
     * A run of a table sender (this relay, or one with a table of its own: see {@link #send}): batch after batch while
     * {@code batch} says there may be more; nothing while the Kafka channel is not connected yet.
     */
    public Uni<Void> drain(SingleRun runs, java.util.function.Supplier<Uni<Boolean>> batch) {
        return publisher() == null ? Uni.createFrom().voidItem() : runs.drain(batch);
    }

    /** Where a batch ended: the (created_at, id) of the last row it sent. */
    record Position(java.time.OffsetDateTime createdAt, java.util.UUID id) {
    }

    /** What one batch sent, and where it ended (null when it sent nothing). */
    record Batch(int sent, Position last) {
    }

    /** Publishes one batch of the rows after {@code after} (null: from the oldest). */
    Uni<Batch> publishBatch(Position after) {
        String range = after == null ? "" : " where (created_at, id) > ($2, $3)";
        Tuple parameters = after == null ? Tuple.of(config.outbox().batchSize())
                : Tuple.of(config.outbox().batchSize(), after.createdAt(), after.id());
        return SenderLock.inTransaction(pool, "outbox-relay", new Batch(0, null), connection -> connection
                .preparedQuery("delete from outbox_event where id in (select id from outbox_event" + range
                        + " order by created_at, id limit $1 for update skip locked)"
                        + " returning topic, message_key, payload, created_at, id, trace_parent")
                .execute(parameters)
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().item(new Batch(0, null)) : sendAll(rows)));
    }

    private Uni<Batch> sendAll(RowSet<Row> rows) {
        // RETURNING gives no order: send in the order the rows were written (per key, the order consumers rely on).
        List<Row> ordered = new java.util.ArrayList<>();
        rows.forEach(ordered::add);
        ordered.sort(java.util.Comparator.comparing((Row row) -> row.getOffsetDateTime("created_at"))
                .thenComparing(row -> row.getUUID("id")));
        List<OutboxPublisher.Outgoing> records = ordered.stream()
                .map(row -> new OutboxPublisher.Outgoing(row.getString("topic"), row.getString("message_key"),
                        row.getString("payload"), row.getString("trace_parent")))
                .toList();
        Row last = ordered.get(ordered.size() - 1);
        return send(records)
                .invoke(ignored -> LOG.debugf("Relayed %d outbox events", ordered.size()))
                .replaceWith(new Batch(ordered.size(), new Position(last.getOffsetDateTime("created_at"), last.getUUID("id"))));
    }
}
