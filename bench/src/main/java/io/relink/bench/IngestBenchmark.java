package io.relink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Scenario 1 of the benchmark harness: an Atlassian managed-accounts CSV of N rows ingested end to end by the
 * packaged inventory-service (uploaded, parsed, persisted, diffed, and every identity event on Kafka), next to its
 * physical floor measured in the same run: {@code psql \copy} of the same file plus Kafka's own
 * {@code ProducerPerformance} sending as many records of the same size. The service runs with a small heap to show
 * that memory stays bounded. Prints a Markdown table; asserts nothing.
 */
public final class IngestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "relink_bench";
    private static final String DEFAULT_HEAP = "256m";

    private final Path root;
    private final int rows;
    private final int runs;
    private final Jvm jvm;

    private IngestBenchmark(Path root, int rows, int runs, Jvm jvm) {
        this.root = root;
        this.rows = rows;
        this.runs = runs;
        this.jvm = jvm;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ServiceProcess.options(args);
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        IngestBenchmark bench = new IngestBenchmark(root,
                Integer.parseInt(options.getOrDefault("rows", "1000000")), Integer.parseInt(options.getOrDefault("runs", "3")),
                Jvm.of(root, options, DEFAULT_HEAP));
        String table = bench.run(options);
        ServiceProcess.publish(options, table);
    }

    private String run(Map<String, String> options) throws Exception {
        Path csv = generate(root.resolve("bench/target/atlassian-export-" + rows + ".csv"), rows);
        String topicPrefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Map<String, String> env = new HashMap<>(ServiceProcess.passthroughEnv());
        env.put("RELINK_TOPIC_PREFIX", topicPrefix);
        env.put("RELINK_GROUP_PREFIX", topicPrefix);
        List<Double> persisted = new ArrayList<>();
        List<Double> published = new ArrayList<>();
        List<Double> copyFloor = new ArrayList<>();
        List<Double> kafkaFloor = new ArrayList<>();
        long peakRss = 0;
        int payloadBytes = 0;
        Instant started = Instant.now();
        double startEmpty;
        try (ServiceProcess inventory = ServiceProcess.start(root, "inventory-service", jvm, DATABASE, env)) {
            startEmpty = ServiceProcess.secondsSince(started);
            for (int run = 1; run <= runs; run++) {
                try (Connection db = ServiceProcess.database(DATABASE); Statement sql = db.createStatement()) {
                    sql.execute("truncate inventory.snapshot_record, inventory.snapshot, inventory.source_cursor, "
                            + "inventory.source, inventory.outbox_event, inventory.snapshot_publication");
                    sql.execute("vacuum");
                }
                Instant start = Instant.now();
                String body = inventory.post("/api/sources/bench-" + run + "/snapshots?format=atlassian-csv",
                        HttpRequest.BodyPublishers.ofFile(csv), "text/csv").body();
                persisted.add(ServiceProcess.secondsSince(start));
                JsonNode report = JSON.readTree(body);
                if (report.path("total").asInt() != rows) {
                    throw new IllegalStateException("the snapshot holds " + report.path("total") + " identities, not " + rows);
                }
                awaitPublished();
                published.add(ServiceProcess.secondsSince(start));
                payloadBytes = averagePayloadBytes(topicPrefix + "relink.identity.v1");
                peakRss = Math.max(peakRss, inventory.peakRssMib());
                copyFloor.add(psqlCopy(csv));
                kafkaFloor.add(KafkaTools.producerPerformance(topicPrefix + "bench.floor", rows, payloadBytes));
                System.err.printf(Locale.ROOT, "ingest run %d: persisted %.1f s, on Kafka %.1f s (floor: copy %.1f s + "
                        + "producer %.1f s), peak RSS %d MiB%n", run, persisted.get(run - 1), published.get(run - 1),
                        copyFloor.get(run - 1), kafkaFloor.get(run - 1), peakRss);
            }
        }
        // Scenario 5: the service again, on the database the last run left (its snapshot of every row).
        Footprint.Restart restart = Footprint.restart(root, "inventory-service", jvm, DATABASE, env, options);
        Footprint.record(options, new Footprint.Row("inventory-service", jvm.label(), rows, "upload until every event is on Kafka",
                startEmpty, peakRss, CampaignBenchmark.median(published), restart.startSeconds(), restart.idleRssMib(),
                restart.settleSeconds()));
        double ours = CampaignBenchmark.median(published);
        double floor = CampaignBenchmark.median(copyFloor) + CampaignBenchmark.median(kafkaFloor);
        return String.format(Locale.ROOT, """
                ## Scenario 1: ingest a %,d-row Atlassian CSV end to end (medians of %d runs)

                | Measure | Seconds | Rows/s |
                |---|---:|---:|
                | Relink: upload → snapshot persisted and diffed (COPY) | %.1f | %,.0f |
                | Relink: upload → every identity event on Kafka | %.1f | %,.0f |
                | Floor: `psql \\copy` of the same file into a plain table | %.1f | %,.0f |
                | Floor: Kafka `ProducerPerformance`, %,d records of %,d bytes, acks=all (the tool's own time) | %.1f | %,.0f |
                | Floor total (copy + producer) | %.1f | |

                Ratio to the floor: **%.2f×** (target ≤ 2×). Peak RSS of inventory-service (`%s`): **%d MiB**
                (target ≤ 300 MB). Command: `./relink bench` (file generated by `IngestBenchmark`, seeded).
                """, rows, runs, CampaignBenchmark.median(persisted), rows / CampaignBenchmark.median(persisted),
                ours, rows / ours, CampaignBenchmark.median(copyFloor), rows / CampaignBenchmark.median(copyFloor),
                rows, payloadBytes, CampaignBenchmark.median(kafkaFloor), rows / CampaignBenchmark.median(kafkaFloor),
                floor, ours / floor, jvm.label(), peakRss);
    }

    /** A managed-accounts export in Atlassian's column layout, seeded so every run reads the same bytes. */
    static Path generate(Path file, int rows) throws Exception {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Random random = new Random(42);
        String[] policies = {"Local accounts", "Local accounts", "Local accounts", "SSO (Entra ID)"};
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            out.write("Name,Email,Last active,Status,Billable,Policy name,Policy type,Jira,Confluence\n");
            for (int i = 0; i < rows; i++) {
                out.write(String.format(Locale.ROOT, "\"User %d, Example\",user%07d@example.com,2026-%02d-%02d,%s,%s,%s,%s,%s,%s%n",
                        i, i, 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(20) == 0 ? "Deactivated" : "Active",
                        random.nextBoolean() ? "Yes" : "No", policies[random.nextInt(policies.length)], "authentication",
                        random.nextBoolean() ? "User" : "", random.nextBoolean() ? "User" : ""));
            }
        }
        Files.move(partial, file);
        return file;
    }

    /**
     * Waits until the snapshot's publication is done and the outbox is empty: every event is on Kafka. Asks through
     * the tables' own indexes: a count(*) every 100 ms scanned the whole outbox (~1 GB at 1M rows) and took a core from
     * the run it measured.
     */
    private static void awaitPublished() throws Exception {
        try (Connection db = ServiceProcess.database(DATABASE); Statement sql = db.createStatement()) {
            while (true) {
                try (ResultSet rs = sql.executeQuery("select exists (select 1 from inventory.snapshot_publication) "
                        + "or exists (select 1 from inventory.outbox_event order by created_at, id limit 1)")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    /** The average size of the first 10,000 records' values on {@code topic}: the record size of the producer floor. */
    private static int averagePayloadBytes(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceProcess.kafka(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long bytes = 0;
            int records = 0;
            Instant deadline = Instant.now().plusSeconds(60);
            while (records < 10_000 && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(java.time.Duration.ofMillis(500))) {
                    bytes += record.serializedValueSize();
                    records++;
                }
            }
            if (records == 0) {
                throw new IllegalStateException("no record on " + topic + " to size the producer floor's records");
            }
            return (int) Math.round((double) bytes / records);
        }
    }

    /**
     * {@code psql \copy} of the file into an unindexed table of text columns: the database's floor. Where psql is
     * not installed (the embedded PostgreSQL fallback), the same client-side COPY FROM STDIN runs through JDBC.
     */
    private static double psqlCopy(Path csv) throws Exception {
        try (Connection db = ServiceProcess.database(DATABASE); Statement sql = db.createStatement()) {
            sql.execute("drop table if exists public.copy_floor");
            sql.execute("create table public.copy_floor (name text, email text, last_active text, status text, "
                    + "billable text, policy_name text, policy_type text, jira text, confluence text)");
        }
        String copy = "copy public.copy_floor from stdin with (format csv, header true)";
        if (!psqlInstalled()) {
            try (Connection db = ServiceProcess.database(DATABASE); var in = Files.newInputStream(csv)) {
                Instant start = Instant.now();
                new org.postgresql.copy.CopyManager(db.unwrap(org.postgresql.core.BaseConnection.class)).copyIn(copy, in);
                return ServiceProcess.secondsSince(start);
            }
        }
        ProcessBuilder psql = new ProcessBuilder("psql", "-q", "-h", ServiceProcess.env("RELINK_PG_HOST", "127.0.0.1"),
                "-p", ServiceProcess.env("RELINK_PG_PORT", "5432"), "-U", ServiceProcess.env("RELINK_PG_USER", "postgres"),
                "-d", DATABASE, "-c", "\\copy public.copy_floor from '" + csv + "' with (format csv, header true)")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        psql.environment().put("PGPASSWORD", ServiceProcess.env("RELINK_PG_PASSWORD", ""));
        Instant start = Instant.now();
        int exit = psql.start().waitFor();
        double seconds = ServiceProcess.secondsSince(start);
        if (exit != 0) {
            throw new IllegalStateException("psql \\copy failed (exit " + exit + ")");
        }
        return seconds;
    }

    private static boolean psqlInstalled() throws InterruptedException {
        try {
            return new ProcessBuilder("psql", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (java.io.IOException notOnPath) {
            return false;
        }
    }
}
