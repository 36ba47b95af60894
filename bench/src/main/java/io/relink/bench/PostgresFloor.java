package io.relink.bench;

import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The least PostgreSQL spends to hold what a service's tables hold: their rows, copied out after the run, loaded with
 * {@code COPY} into empty tables of the same definition (WAL-logged, like the service's), then each of the service's
 * indexes built once over the loaded rows. That is the database's own fastest way in (the manual's "Populating a
 * Database": one COPY, indexes created after the load), the floor of any write path of the service, set-based or not.
 * It keeps the WAL the service's tables need (the manual's faster route, {@code wal_level=minimal}, gives up
 * replication and point-in-time recovery). Only the load and the index builds are timed; the copy out is not.
 */
final class PostgresFloor {

    /** The schema the floor's tables are created in (dropped afterwards), in the service's database. */
    private static final String SCHEMA = "bench_floor";

    /**
     * What the floor took: seconds of loading and index building, how many rows each table has, and the seconds of
     * each step (a table's load, an index's build) in the order they ran.
     */
    record Result(double seconds, Map<String, Long> rows, Map<String, Double> steps) {

        int indexes() {
            return steps.size() - rows.size();
        }
    }

    private PostgresFloor() {
    }

    /**
     * Loads the rows of {@code schema}'s {@code tables} into fresh copies of them and builds their indexes; returns
     * the time that took. {@code dir} holds the copied-out rows meanwhile. A checkpoint first, so that the floor does not
     * pay for writing out the pages the service's run left dirty.
     */
    static Result measure(Connection db, String schema, List<String> tables, Path dir) throws Exception {
        CopyManager copy = new CopyManager(db.unwrap(BaseConnection.class));
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> indexes = new LinkedHashMap<>();
        Map<String, Double> steps = new LinkedHashMap<>();
        try (Statement sql = db.createStatement()) {
            sql.execute("drop schema if exists " + SCHEMA + " cascade");
            sql.execute("create schema " + SCHEMA);
            for (String table : tables) {
                try (OutputStream out = Files.newOutputStream(copied(dir, table))) {
                    rows.put(table, copy.copyOut("copy " + schema + "." + table + " to stdout (format binary)", out));
                }
                sql.execute("create table " + SCHEMA + "." + table + " (like " + schema + "." + table + " including defaults)");
                indexes.putAll(indexDefinitions(sql, schema, table));
            }
            sql.execute("checkpoint");
            Instant start = Instant.now();
            for (String table : tables) {
                Instant step = Instant.now();
                try (InputStream in = Files.newInputStream(copied(dir, table))) {
                    long loaded = copy.copyIn("copy " + SCHEMA + "." + table + " from stdin (format binary)", in);
                    if (loaded != rows.get(table)) {
                        throw new IllegalStateException("the floor loaded " + loaded + " rows of " + table + ", not " + rows.get(table));
                    }
                }
                steps.put("copy " + table, ServiceProcess.secondsSince(step));
            }
            for (Map.Entry<String, String> index : indexes.entrySet()) {
                Instant step = Instant.now();
                sql.execute(index.getValue());
                steps.put("index " + index.getKey(), ServiceProcess.secondsSince(step));
            }
            double seconds = ServiceProcess.secondsSince(start);
            sql.execute("drop schema " + SCHEMA + " cascade");
            for (String table : tables) {
                Files.deleteIfExists(copied(dir, table));
            }
            return new Result(seconds, rows, steps);
        }
    }

    /** Where the table's rows wait, copied out, until the timed load. */
    private static Path copied(Path dir, String table) {
        return dir.resolve("floor-" + table + ".copy");
    }

    /**
     * The table's indexes (primary key included) by name, each defined to build the same index on the floor's copy.
     */
    private static Map<String, String> indexDefinitions(Statement sql, String schema, String table) throws Exception {
        Map<String, String> definitions = new LinkedHashMap<>();
        String onTable = " ON " + schema + "." + table + " ";
        try (ResultSet rs = sql.executeQuery("select indexname, indexdef from pg_indexes where schemaname = '" + schema
                + "' and tablename = '" + table + "' order by indexname")) {
            while (rs.next()) {
                String definition = rs.getString(2);
                if (!definition.contains(onTable)) {
                    throw new IllegalStateException("unexpected index definition of " + schema + "." + table + ": " + definition);
                }
                definitions.put(rs.getString(1), definition.replace(onTable, " ON " + SCHEMA + "." + table + " ")); // names are per schema
            }
        }
        return definitions;
    }

    /** "copy identity 8.12 s, index identity_pkey 3.20 s, ..." */
    static String steps(Result result) {
        return result.steps().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** "2,000,000 identity, 5,123,456 identity_address and 1,000,000 match_decision rows" */
    static String describe(Result result) {
        List<String> parts = result.rows().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
                .collect(Collectors.toList());
        String joined = parts.size() <= 1 ? String.join("", parts)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
        return joined + " rows";
    }
}
