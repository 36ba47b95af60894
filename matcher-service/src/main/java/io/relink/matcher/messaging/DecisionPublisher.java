package io.relink.matcher.messaging;

import io.quarkus.scheduler.Scheduled;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.matcher.Decision;
import io.relink.support.json.JsonColumns;
import io.relink.support.messaging.MessagingConfig;
import io.relink.support.messaging.Outbox;
import io.relink.support.messaging.OutboxPublisher;
import io.relink.support.messaging.OutboxRelay;
import io.relink.support.messaging.SenderLock;
import io.relink.support.messaging.SingleRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishes match decisions straight from {@code match_decision} (migration V8), not through the outbox: every write
 * of a decision takes the next {@code publish_seq}, and this publisher sends the decisions after the last number the
 * broker acknowledged, in that order, then records the new position in the same database transaction. A crash in
 * between sends them again with the same event ids (derived from the decision and its number), which consumers drop.
 * A decision written twice before it went out is sent once, as it is now (consumers keep the newest revision).
 *
 * <p>With several replicas, one batch is in flight at a time: each batch transaction first takes the publisher's
 * advisory lock ({@link SenderLock}), or sends nothing this round. Numbers are taken under the matching lock (see
 * {@link io.relink.matcher.repository.DecisionRepository#upsertAll}), so none becomes visible below the position.
 */
@ApplicationScoped
public class DecisionPublisher {

    private final OutboxRelay relay;
    private final Pool pool;
    private final Outbox events;
    private final JsonColumns json;
    private final MessagingConfig config;
    private final SingleRun runs = new SingleRun("Decision publication");

    public DecisionPublisher(OutboxRelay relay, Pool pool, Outbox events, JsonColumns json, MessagingConfig config) {
        this.relay = relay;
        this.pool = pool;
        this.events = events;
        this.json = json;
        this.config = config;
    }

    /** Sends batch after batch while there is something to send. */
    @Scheduled(every = "${relink.messaging.outbox.poll-interval}", delayed = "${relink.messaging.outbox.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> publish() {
        return relay.drain(runs, this::publishBatch);
    }

    /** Starts a run now unless one is under way: decisions just committed do not wait for the poll (up to 1 s). */
    public void publishSoon() {
        runs.startNow(this::publish);
    }

    /** One batch in one transaction; true when there may be more to send now. */
    Uni<Boolean> publishBatch() {
        int batchSize = config.outbox().batchSize();
        return SenderLock.inTransaction(pool, "decision-publisher", false, connection -> connection
                .query("select published_seq from decision_publication where id = 1").execute()
                .flatMap(position -> connection.preparedQuery("""
                                select id, atlassian_source, account_id, email, display_name, outcome, idp_source,
                                       idp_user_id, confidence, rule, evidence, flags, current_policy, reason, revision,
                                       decided_at, publish_seq, trace_parent
                                from match_decision where publish_seq > $1 order by publish_seq limit $2""")
                        .execute(Tuple.of(position.iterator().next().getLong("published_seq"), batchSize)))
                .flatMap(rows -> {
                    List<Row> batch = new ArrayList<>(rows.size());
                    rows.forEach(batch::add);
                    return batch.isEmpty() ? Uni.createFrom().item(false)
                            : relay.send(batch.stream().map(this::event).toList())
                            .flatMap(ignored -> advance(connection, batch.get(batch.size() - 1)))
                            .replaceWith(batch.size() == batchSize);
                }));
    }

    private Uni<Void> advance(SqlConnection connection, Row last) {
        return connection.preparedQuery("update decision_publication set published_seq = $1 where id = 1")
                .execute(Tuple.of(last.getLong("publish_seq"))).replaceWithVoid();
    }

    /** The decision's event, with an id that is the same each time this write of the decision is sent. */
    private OutboxPublisher.Outgoing event(Row row) {
        String id = row.getString("id");
        long revision = row.getLong("revision");
        MatchDecided decided = new MatchDecided(row.getString("atlassian_source"), row.getString("account_id"),
                row.getString("email"), row.getString("display_name"), MatchOutcome.valueOf(row.getString("outcome")),
                row.getString("idp_source"), row.getString("idp_user_id"), row.getDouble("confidence"), row.getString("rule"),
                json.read(row.getString("evidence"), Decision.EVIDENCE_LIST), json.read(row.getString("flags"), JsonColumns.STRING_LIST),
                row.getString("current_policy"), row.getString("reason"), revision);
        // Time-ordered like every event id (consumers' processed-event index grows at one end), the rest from the write.
        Instant decidedAt = row.getOffsetDateTime("decided_at").toInstant();
        UUID eventId = EventEnvelope.derivedId(decidedAt, "match-decided/" + id + "/" + revision + "/" + row.getLong("publish_seq"));
        return events.outgoing(Topics.MATCH, id, EventTypes.MATCH_DECIDED_V1, decided, eventId, decidedAt,
                row.getString("trace_parent"));
    }
}
