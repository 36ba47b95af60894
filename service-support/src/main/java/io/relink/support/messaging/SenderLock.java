package io.relink.support.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.function.Function;

/**
 * One batch of a sender that drains a table to Kafka (the outbox relay, inventory's snapshot publisher, the matcher's
 * decision publisher), in one transaction that first takes the sender's advisory lock. With several replicas, one
 * batch is in flight at a time: a replica that does not get the lock sends nothing this round. Two replicas sending
 * consecutive batches side by side could deliver a later event of a key before an earlier one. The lock is named
 * after the schema, so senders of other deployments sharing the database do not wait for each other.
 */
public final class SenderLock {

    private SenderLock() {
    }

    /** {@code batch}'s result, or {@code whenTaken} when another replica holds the lock of {@code sender}. */
    public static <T> Uni<T> inTransaction(Pool pool, String sender, T whenTaken, Function<SqlConnection, Uni<T>> batch) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("select pg_try_advisory_xact_lock(hashtext(current_schema() || '.' || $1)) as taken")
                .execute(Tuple.of(sender))
                .flatMap(lock -> lock.iterator().next().getBoolean("taken") ? batch.apply(connection)
                        : Uni.createFrom().item(whenTaken)));
    }
}
