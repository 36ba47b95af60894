package io.relink.inventory.repository;

import io.relink.events.SourceKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The publications of applied snapshots (table {@code snapshot_publication}, migration V7) and the changes they send,
 * read in external-id order from a position so that a publication goes on where it stopped. Every call runs on the
 * caller's connection, inside the transaction that sends the batch and records the new position.
 */
@ApplicationScoped
public class SnapshotPublicationRepository {

    /** What a publication sends next: the added and changed identities, then the removed ones, then snapshot-completed. */
    public enum Phase {
        CHANGES, REMOVALS, COMPLETED
    }

    /** A queued publication with what its events carry of the snapshot and its source. */
    public record Publication(UUID snapshotId, UUID previousSnapshotId, String sourceName, SourceKind kind, long version,
                              int total, int added, int changed, int removed, Phase phase, String afterExternalId,
                              String traceParent, Instant queuedAt) {

        /** The same publication at another position in its phase. */
        public Publication at(String afterExternalId) {
            return new Publication(snapshotId, previousSnapshotId, sourceName, kind, version, total, added, changed, removed,
                    phase, afterExternalId, traceParent, queuedAt);
        }
    }

    /** One identity to publish; {@code identity} (JSON) is null for a removal. */
    public record Change(String externalId, boolean added, String identity) {
    }

    /** The oldest unfinished publication, locked for this transaction; null when none waits. */
    public Uni<Publication> oldest(SqlConnection connection) {
        return connection.query("select p.snapshot_id, p.previous_snapshot_id, s.source_name, src.kind, s.version, s.total, "
                        + "s.added, s.changed, s.removed, p.phase, p.after_external_id, p.trace_parent, p.queued_at "
                        + "from snapshot_publication p join snapshot s on s.id = p.snapshot_id "
                        + "join source src on src.name = s.source_name order by p.seq limit 1 for update of p")
                .execute()
                .map(rows -> rows.size() == 0 ? null : publication(rows.iterator().next()));
    }

    private static Publication publication(Row row) {
        return new Publication(row.getUUID(0), row.getUUID(1), row.getString(2), SourceKind.valueOf(row.getString(3)),
                row.getLong(4), row.getInteger(5), row.getInteger(6), row.getInteger(7), row.getInteger(8),
                Phase.valueOf(row.getString(9)), row.getString(10), row.getString(11),
                row.getOffsetDateTime(12).toInstant());
    }

    /**
     * Up to {@code limit} identities of the snapshot that are new or differ from the previous one, after the
     * publication's position, in external-id order (an index range scan on {@code (snapshot_id, external_id)}).
     */
    public Uni<List<Change>> changes(SqlConnection connection, Publication publication, int limit) {
        Tuple parameters = Tuple.of(publication.snapshotId(), limit);
        String sql;
        if (publication.previousSnapshotId() == null) {
            sql = "select n.external_id, true, n.identity from snapshot_record n where n.snapshot_id = $1"
                    + after("n", publication, parameters) + " order by n.external_id limit $2";
        } else {
            parameters.addUUID(publication.previousSnapshotId());
            sql = "select n.external_id, o.external_id is null, n.identity from snapshot_record n left join snapshot_record o "
                    + "on o.snapshot_id = $3 and o.external_id = n.external_id where n.snapshot_id = $1"
                    + after("n", publication, parameters)
                    + " and (o.external_id is null or o.content_hash <> n.content_hash) order by n.external_id limit $2";
        }
        return read(connection, sql, parameters, row -> new Change(row.getString(0), row.getBoolean(1), row.getString(2)));
    }

    /** Up to {@code limit} identities of the previous snapshot that this one no longer holds, after the position. */
    public Uni<List<Change>> removals(SqlConnection connection, Publication publication, int limit) {
        if (publication.previousSnapshotId() == null) {
            return Uni.createFrom().item(List.of());
        }
        Tuple parameters = Tuple.of(publication.snapshotId(), limit, publication.previousSnapshotId());
        String sql = "select o.external_id from snapshot_record o where o.snapshot_id = $3" + after("o", publication, parameters)
                + " and not exists (select 1 from snapshot_record n where n.snapshot_id = $1 and n.external_id = o.external_id) "
                + "order by o.external_id limit $2";
        return read(connection, sql, parameters, row -> new Change(row.getString(0), false, null));
    }

    /** The condition "after the publication's position" on {@code alias}, its parameter added; none at the start. */
    private static String after(String alias, Publication publication, Tuple parameters) {
        if (publication.afterExternalId() == null) {
            return "";
        }
        parameters.addString(publication.afterExternalId());
        return " and " + alias + ".external_id > $" + parameters.size();
    }

    private static Uni<List<Change>> read(SqlConnection connection, String sql, Tuple parameters, Function<Row, Change> change) {
        // A batch must be an ordered index range scan of its 2,000 rows (~1 ms). On a table autovacuum has not analyzed
        // since a million records arrived, the planner chose a bitmap scan of every record after the position and a
        // sort of them on disk: 0.9 s for a batch in the middle of a 1M-record snapshot (EXPLAIN ANALYZE, 2026-12-01).
        return connection.query("select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), "
                        + "set_config('enable_sort', 'off', true)").execute()
                .flatMap(ignored -> connection.preparedQuery(sql).execute(parameters))
                .map(rows -> {
                    List<Change> changes = new ArrayList<>(rows.size());
                    rows.forEach(row -> changes.add(change.apply(row)));
                    return changes;
                });
    }

    /** Records how far the publication got: its phase and the last external id of that phase sent. */
    public Uni<Void> advance(SqlConnection connection, UUID snapshotId, Phase phase, String afterExternalId, int sent) {
        return connection.preparedQuery("update snapshot_publication set phase = $2, after_external_id = $3, "
                        + "sent = sent + $4 where snapshot_id = $1")
                .execute(Tuple.of(snapshotId, phase.name(), afterExternalId, sent))
                .replaceWithVoid();
    }

    /** The publication is done: its row goes, the snapshot records when its last event was on Kafka. */
    public Uni<Void> finish(SqlConnection connection, UUID snapshotId) {
        return connection.preparedQuery("delete from snapshot_publication where snapshot_id = $1")
                .execute(Tuple.of(snapshotId))
                .flatMap(ignored -> connection.preparedQuery("update snapshot set published_at = now() where id = $1")
                        .execute(Tuple.of(snapshotId)))
                .replaceWithVoid();
    }
}
