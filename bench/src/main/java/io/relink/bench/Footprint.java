package io.relink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 5: what each service needs to run while it holds N identities. The ingest and match benchmarks record a
 * row per service as they go (start-up on an empty database, peak resident memory during the work, then a restart on
 * the database as the work left it: start-up and resident memory once idle); {@code main} renders the rows as the
 * scenario's table. Resident memory is the kernel's figure for the whole JVM (heap, metaspace, code, threads, buffers).
 */
final class Footprint {

    /**
     * How long a restarted service runs idle before its resident memory is read, so that start-up work has settled
     * ({@code --settle SECONDS}, default 10).
     */
    private static Duration settle(Map<String, String> options) {
        return Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle", "10")));
    }

    /**
     * One service's figures; {@code jvm}: how its JVM ran ({@link Jvm#label}); {@code settleSeconds}: how long the
     * restart idled before its memory was read.
     */
    record Row(String service, String jvm, long identities, String work, double startEmpty, long peakRssWork,
               double workSeconds, double startWithData, long idleRss, long settleSeconds) {

        String tsv() {
            return String.join("\t", service, jvm, String.valueOf(identities), work, String.valueOf(startEmpty),
                    String.valueOf(peakRssWork), String.valueOf(workSeconds), String.valueOf(startWithData),
                    String.valueOf(idleRss), String.valueOf(settleSeconds));
        }

        static Row parse(String line) {
            String[] f = line.split("\t");
            return new Row(f[0], f[1], Long.parseLong(f[2]), f[3], Double.parseDouble(f[4]), Long.parseLong(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]));
        }
    }

    /**
     * Start-up time and idle resident memory of a restart, read after idling {@code settleSeconds}; NaN and -1 when
     * not measured.
     */
    record Restart(double startSeconds, long idleRssMib, long settleSeconds) {

        static final Restart NOT_MEASURED = new Restart(Double.NaN, -1, 0);

        boolean measured() {
            return idleRssMib >= 0;
        }
    }

    private Footprint() {
    }

    /**
     * Starts {@code module} on {@code database} as it is, waits until ready and idle, reads its memory, stops it;
     * not at all with {@code --restarts false} (the quick smoke run: a restart per service costs it ~25 s).
     */
    static Restart restart(Path root, String module, Jvm jvm, String database, Map<String, String> env,
                           Map<String, String> options) throws Exception {
        if (!Boolean.parseBoolean(options.getOrDefault("restarts", "true"))) {
            return Restart.NOT_MEASURED;
        }
        Duration settle = settle(options);
        Instant start = Instant.now();
        try (ServiceProcess service = ServiceProcess.startOn(root, module, jvm, database, env,
                module + "-restarted.log")) {   // the work's log stays readable
            double up = ServiceProcess.secondsSince(start);
            Thread.sleep(settle.toMillis());
            return new Restart(up, service.rssMib(), settle.toSeconds());
        }
    }

    /** Adds a row to the file {@code --footprint} names (nothing without it). */
    static void record(Map<String, String> options, Row row) throws IOException {
        System.err.printf(Locale.ROOT, "footprint %s (%s) with %,d identities: started in %.1f s empty, peak RSS %d MiB "
                        + "during %s (%.1f s); %s%n", row.service(), row.jvm(), row.identities(), row.startEmpty(), row.peakRssWork(), row.work(),
                row.workSeconds(), row.idleRss() < 0 ? "restart not measured (--restarts false)"
                        : String.format(Locale.ROOT, "restarted in %.1f s, %d MiB idle", row.startWithData(), row.idleRss()));
        if (options.containsKey("footprint")) {
            Files.writeString(Path.of(options.get("footprint")), row.tsv() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** {@code --footprint FILE --out TABLE}: the scenario's table from the rows the benchmarks recorded. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = ServiceProcess.options(args);
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(options.get("footprint")), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(Row.parse(line));
            }
        }
        StringBuilder table = new StringBuilder("""
                ## Scenario 5: start-up time and resident memory of each service holding the benchmark's identities

                Each service runs in the JVM its row names: the heap its benchmark gives it with the default profile's
                other options (`jvm/default.args`), or another profile of `jvm/` (`small-memory`: README, "The JVM"). Start-up: JVM start until
                `/q/health/ready` answers 200 (database migrated, Kafka reachable). "Restarted" is a new JVM on the
                database as the work left it, %s. Target ≤ 300 MB RSS each.

                | Service | JVM | Identities held | Work measured | Start-up, empty database | Peak RSS during the work | Restarted: start-up | Restarted: RSS idle | Target |
                |---|---|---:|---|---:|---:|---:|---:|---|
                """.formatted(rows.isEmpty() || rows.get(0).idleRss() < 0 ? "not measured in this run (`--restarts false`)"
                        : rows.get(0).settleSeconds() + " s after ready"));
        for (Row row : rows) {
            boolean restarted = row.idleRss() >= 0;
            table.append(String.format(Locale.ROOT, "| %s | `%s` | %,d | %s (%.1f s) | %.1f s | %d MiB | %s | %s | %s |%n",
                    row.service(), row.jvm(), row.identities(), row.work(), row.workSeconds(), row.startEmpty(), row.peakRssWork(),
                    restarted ? String.format(Locale.ROOT, "%.1f s", row.startWithData()) : "not measured",
                    restarted ? row.idleRss() + " MiB" : "not measured",
                    row.peakRssWork() * 1024 * 1024 <= 300_000_000L ? "met" : "missed (peak)"));
        }
        ServiceProcess.publish(options, table.toString());
    }
}
