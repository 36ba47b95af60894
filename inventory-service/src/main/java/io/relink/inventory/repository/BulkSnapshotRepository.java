package io.relink.inventory.repository;

import io.agroal.api.AgroalDataSource;
import io.relink.events.ChangeType;
import io.relink.events.SourceKind;
import jakarta.enterprise.context.ApplicationScoped;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Snapshot writes for exports of any size, over JDBC: identities are streamed into the database with COPY and
 * diffed there, so memory stays bounded whatever the file holds. Everything of one snapshot runs in one
 * transaction on one connection ({@link Tx}): committed whole, or rolled back and nothing changed.
 * Reads (reports, lists) stay on the reactive Panache repositories.
 */
@ApplicationScoped
public class BulkSnapshotRepository {

    private final AgroalDataSource dataSource;

    public BulkSnapshotRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work done inside one snapshot transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Runs {@code work} in a transaction; commits when it returns, rolls back when it throws. Blocking. */
    public <T> T inTransaction(TxWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(new Tx(connection));
                connection.commit();
                return result;
            } catch (RuntimeException | SQLException | Error e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Snapshot write failed: " + e.getMessage(), e);
        }
    }

    public record SourceRow(String name, SourceKind kind, long latestVersion) {
    }

    public record SnapshotRow(UUID id, String sourceName, long version, long baseVersion, String format, String fileName,
                              String status, int total, String duplicates, int duplicateCount, String sharedEmails,
                              Instant createdAt) {
    }

    public record HeldSnapshot(UUID id, String sourceName, long version, long baseVersion, String status, SourceKind kind) {
    }

    public record DiffCounts(int added, int changed, int removed, int unchanged, int total) {
    }

    /** A row that repeats the external id first read at {@code firstLine}; left out of the snapshot, listed in its report. */
    public record Duplicate(long line, String externalId, long firstLine) {
    }

    public record SharedEmail(String email, int identities, List<String> externalIds) {
    }

    /** One snapshot transaction. */
    public static final class Tx {

        private static final String STAGING = "staging_identity";
        private static final String SAVEPOINT = "before_records";

        private final Connection connection;

        Tx(Connection connection) {
            this.connection = connection;
        }

        /** Creates the source on first use; locks its row so that two writes to one source get consecutive versions. */
        public SourceRow lockSource(String name, SourceKind kind) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("insert into source (name, kind, created_at, "
                    + "latest_version) values (?, ?, now(), 0) on conflict (name) do nothing")) {
                insert.setString(1, name);
                insert.setString(2, kind.name());
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "select kind, latest_version from source where name = ? for update")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new SourceRow(name, SourceKind.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }

        /** Highest version number the source used, applied or not (0 when none). */
        public long maxVersion(String sourceName) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement(
                    "select coalesce(max(version), 0) from snapshot where source_name = ?")) {
                select.setString(1, sourceName);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        /** The id of a source's snapshot version, or null. */
        public UUID snapshotId(String sourceName, long version) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement(
                    "select id from snapshot where source_name = ? and version = ?")) {
                select.setString(1, sourceName);
                select.setLong(2, version);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getObject(1, UUID.class) : null;
                }
            }
        }

        /** A snapshot's source, status and base version, locked for a status change; null when unknown. */
        public HeldSnapshot lockSnapshot(UUID id) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement("select s.source_name, s.version, s.base_version, "
                    + "s.status, src.kind from snapshot s join source src on src.name = s.source_name where s.id = ? for update")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? new HeldSnapshot(id, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            SourceKind.valueOf(rs.getString(5))) : null;
                }
            }
        }

        /**
         * Up to {@code limit} changes of one type between two snapshots (null {@code fromId}: an empty source),
         * with the identity before and after, for the diff view.
         */
        public List<String[]> changeSamples(UUID toId, UUID fromId, ChangeType type, int limit) throws SQLException {
            String sql = switch (type) {
                case ADDED -> "select n.external_id, null, n.identity from snapshot_record n where n.snapshot_id = ? and not exists "
                        + "(select 1 from snapshot_record o where o.snapshot_id = ? and o.external_id = n.external_id) "
                        + "order by n.external_id limit ?";
                case CHANGED -> "select n.external_id, o.identity, n.identity from snapshot_record n join snapshot_record o "
                        + "on o.external_id = n.external_id and o.snapshot_id = ? where n.snapshot_id = ? "
                        + "and o.content_hash <> n.content_hash order by n.external_id limit ?";
                case REMOVED -> "select o.external_id, o.identity, null from snapshot_record o where o.snapshot_id = ? and not exists "
                        + "(select 1 from snapshot_record n where n.snapshot_id = ? and n.external_id = o.external_id) "
                        + "order by o.external_id limit ?";
            };
            List<String[]> samples = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setObject(1, type == ChangeType.ADDED ? toId : fromId);
                select.setObject(2, type == ChangeType.ADDED ? fromId : toId);
                select.setInt(3, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        samples.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
            }
            return samples;
        }

        /** The identities (as published, JSON) of a stored snapshot, by external id. */
        public List<String> identities(UUID snapshotId) throws SQLException {
            List<String> identities = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "select identity from snapshot_record where snapshot_id = ? order by external_id")) {
                statement.setObject(1, snapshotId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        identities.add(rows.getString(1));
                    }
                }
            }
            return identities;
        }

        /**
         * Opens a COPY of a new snapshot's identities straight into its records, in input order. The records' key
         * refuses an external id that repeats: the COPY then fails with {@link CopyFailed#repeatedId()}, and the
         * caller rolls back to a savepoint and stages the identities instead ({@link #openStaging}), which keeps the
         * first row per id and lists the repeats by line.
         */
        public IdentityCopy openRecords(UUID snapshotId) throws SQLException {
            return new IdentityCopy(new PGCopyOutputStream(connection.unwrap(PGConnection.class), "copy snapshot_record "
                    + "(snapshot_id, external_id, email, content_hash, identity) from stdin", 1 << 16), snapshotId.toString());
        }

        /** Opens the transaction's staging table for the identities of a new snapshot, in input order. */
        public IdentityCopy openStaging() throws SQLException {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("create temporary table " + STAGING + " (line bigint not null, external_id text not null, "
                        + "email text, content_hash text not null, identity text not null) on commit drop");
            }
            return new IdentityCopy(new PGCopyOutputStream(connection.unwrap(PGConnection.class),
                    "copy " + STAGING + " (line, external_id, email, content_hash, identity) from stdin", 1 << 16), null);
        }

        /** Marks where {@link #rollbackToSavepoint} returns to; one at a time. */
        public void savepoint() throws SQLException {
            try (Statement sql = connection.createStatement()) {
                sql.execute("savepoint " + SAVEPOINT);
            }
        }

        public void rollbackToSavepoint() throws SQLException {
            try (Statement sql = connection.createStatement()) {
                sql.execute("rollback to savepoint " + SAVEPOINT);
            }
        }

        /**
         * Makes the staged identities the records of {@code snapshotId}: the first row per external id, the
         * repeats left out (see {@link #duplicates}).
         */
        public int materialize(UUID snapshotId) throws SQLException {
            // The staging table is scanned in the order COPY wrote it (a temporary table, no concurrent writers), so
            // "do nothing" on a repeated id keeps the first row without sorting a million wide rows.
            try (PreparedStatement insert = connection.prepareStatement("insert into snapshot_record "
                    + "(snapshot_id, external_id, email, content_hash, identity) select ?, external_id, email, content_hash, identity from "
                    + STAGING + " on conflict (snapshot_id, external_id) do nothing")) {
                insert.setObject(1, snapshotId);
                return insert.executeUpdate();
            }
        }

        /** Rows that repeat an external id read earlier (at most {@code limit} listed), and their total. */
        public List<Duplicate> duplicates(int limit) throws SQLException {
            List<Duplicate> duplicates = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select s.line, s.external_id, f.first_line from "
                    + STAGING + " s join (select external_id, min(line) first_line from " + STAGING
                    + " group by external_id having count(*) > 1) f using (external_id) where s.line <> f.first_line "
                    + "order by s.line limit ?")) {
                select.setInt(1, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        duplicates.add(new Duplicate(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return duplicates;
        }

        public int duplicateCount() throws SQLException {
            try (Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery("select count(*) - count(distinct external_id) from " + STAGING)) {
                rs.next();
                return rs.getInt(1);
            }
        }

        /** Emails that several identities of a stored snapshot share (at most {@code limit}, five ids each). */
        public List<SharedEmail> sharedEmails(UUID snapshotId, int limit) throws SQLException {
            List<SharedEmail> shared = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select email, count(*), "
                    + "(array_agg(external_id order by external_id))[1:5] from snapshot_record where snapshot_id = ? "
                    + "and email is not null group by email having count(*) > 1 order by email limit ?")) {
                select.setObject(1, snapshotId);
                select.setInt(2, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        shared.add(new SharedEmail(rs.getString(1), rs.getInt(2),
                                List.of((String[]) rs.getArray(3).getArray())));
                    }
                }
            }
            return shared;
        }

        public void insertSnapshot(SnapshotRow s) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("insert into snapshot (id, source_name, version, "
                    + "base_version, format, file_name, status, total, added, changed, removed, unchanged, duplicates, "
                    + "duplicate_count, shared_emails, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?)")) {
                insert.setObject(1, s.id());
                insert.setString(2, s.sourceName());
                insert.setLong(3, s.version());
                insert.setLong(4, s.baseVersion());
                insert.setString(5, s.format());
                insert.setString(6, s.fileName());
                insert.setString(7, s.status());
                insert.setInt(8, s.total());
                insert.setString(9, s.duplicates());
                insert.setInt(10, s.duplicateCount());
                insert.setString(11, s.sharedEmails());
                insert.setTimestamp(12, Timestamp.from(s.createdAt()));
                insert.executeUpdate();
            }
        }

        /** Counts what changed from {@code fromId} (null: an empty source) to {@code toId}. */
        public DiffCounts diffCounts(UUID toId, UUID fromId) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement("select count(*) filter (where o.external_id is null), "
                    + "count(*) filter (where o.content_hash <> n.content_hash), count(*) filter (where o.content_hash = n.content_hash), "
                    + "count(*), (select count(*) from snapshot_record where snapshot_id = ?) "
                    + "from snapshot_record n left join snapshot_record o on o.snapshot_id = ? and o.external_id = n.external_id "
                    + "where n.snapshot_id = ?")) {
                select.setObject(1, fromId);
                select.setObject(2, fromId);
                select.setObject(3, toId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    int changed = rs.getInt(2);
                    int unchanged = rs.getInt(3);
                    int previous = rs.getInt(5);
                    return new DiffCounts(rs.getInt(1), changed, previous - changed - unchanged, unchanged, rs.getInt(4));
                }
            }
        }

        /**
         * Queues the publication of a snapshot's changes from {@code fromId} (null: an empty source): {@code
         * SnapshotPublisher} sends them once this transaction commits, after any publication queued before.
         */
        public void queuePublication(UUID snapshotId, UUID fromId, String traceParent) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("insert into snapshot_publication (snapshot_id, "
                    + "previous_snapshot_id, phase, trace_parent, queued_at) values (?, ?, 'CHANGES', ?, now())")) {
                insert.setObject(1, snapshotId);
                insert.setObject(2, fromId);
                insert.setString(3, traceParent);
                insert.executeUpdate();
            }
        }

        public void finishSnapshot(UUID id, String status, String statusReason, DiffCounts counts) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("update snapshot set status = ?, status_reason = ?, "
                    + "total = ?, added = ?, changed = ?, removed = ?, unchanged = ? where id = ?")) {
                update.setString(1, status);
                update.setString(2, statusReason);
                update.setInt(3, counts.total());
                update.setInt(4, counts.added());
                update.setInt(5, counts.changed());
                update.setInt(6, counts.removed());
                update.setInt(7, counts.unchanged());
                update.setObject(8, id);
                update.executeUpdate();
            }
        }

        public void setLatestVersion(String sourceName, long version) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("update source set latest_version = ? where name = ?")) {
                update.setLong(1, version);
                update.setString(2, sourceName);
                update.executeUpdate();
            }
        }

        /** Where the source's next delta pull starts; saved only with the snapshot it produced. */
        public void saveDeltaLink(String sourceName, String deltaLink) throws SQLException {
            try (PreparedStatement upsert = connection.prepareStatement("insert into source_cursor (source_name, delta_link, "
                    + "updated_at) values (?, ?, now()) on conflict (source_name) do update set delta_link = excluded.delta_link, "
                    + "updated_at = excluded.updated_at")) {
                upsert.setString(1, sourceName);
                upsert.setString(2, deltaLink);
                upsert.executeUpdate();
            }
        }
    }

    /**
     * A COPY of a snapshot's identities: into its records (each row led by the snapshot id) or into the staging table
     * (each row led by its line). Close it before anything else runs on the transaction.
     */
    public static final class IdentityCopy implements AutoCloseable {

        private final PGCopyOutputStream copy;
        private final Writer out;
        private final String snapshotId;

        IdentityCopy(PGCopyOutputStream copy, String snapshotId) {
            this.copy = copy;
            this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
            this.snapshotId = snapshotId;
        }

        public void write(long line, String externalId, String email, String contentHash, String identity) {
            try {
                CopyText.row(out, snapshotId == null ? Long.toString(line) : snapshotId, externalId, email, contentHash, identity);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** Ends a COPY the database refused, so that the transaction can go on (after a rollback to a savepoint). */
        private CopyFailed failed(IOException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancelled) {
                    e.addSuppressed(cancelled);
                }
            }
            return new CopyFailed(e);
        }
    }

    /**
     * The database refused a COPY of identities. Not an {@link UncheckedIOException}: the parsers read those as
     * an unreadable file, and this is the database's answer, not the file's.
     */
    public static final class CopyFailed extends RuntimeException {

        private static final String UNIQUE_VIOLATION = "23505";

        CopyFailed(IOException cause) {
            super("COPY of the snapshot's identities failed: " + cause.getMessage(), cause);
        }

        /** Whether an external id repeated (the records' key refused it). */
        public boolean repeatedId() {
            for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** PostgreSQL COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
    static final class CopyText {

        private CopyText() {
        }

        /**
         * Writes one row in COPY's text format. Runs without a special character are written whole: a character at a
         * time through the (synchronized) writer was half the CPU of queueing a million events.
         */
        static void row(Writer out, String... values) throws IOException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.write('\t');
                }
                String value = values[i];
                if (value == null) {
                    out.write("\\N");
                    continue;
                }
                int runStart = 0;
                for (int c = 0; c < value.length(); c++) {
                    String escaped = switch (value.charAt(c)) {
                        case '\\' -> "\\\\";
                        case '\t' -> "\\t";
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        default -> null;
                    };
                    if (escaped != null) {
                        out.write(value, runStart, c - runStart);
                        out.write(escaped);
                        runStart = c + 1;
                    }
                }
                out.write(value, runStart, value.length() - runStart);
            }
            out.write('\n');
        }
    }
}
