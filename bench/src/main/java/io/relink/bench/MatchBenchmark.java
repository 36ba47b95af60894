package io.relink.bench;

import io.relink.events.ChangeType;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.SourceKind;
import io.relink.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Scenario 2 of the benchmark harness: N Entra users and N Atlassian accounts (seeded, with the usual mess: UPN
 * differing from mail, aliases, case differences, plus-addressing, disabled and guest users, deactivated accounts,
 * accounts already on the SSO policy, accounts with no user) matched end to end through Kafka by the packaged
 * matcher-service: identity events on the topic → every account decided → every decision on Kafka. The baseline,
 * measured in the same run, is an in-process hash join of the same identities by address. The two must agree on
 * how many accounts match; beyond that the run prints numbers and asserts no threshold.
 */
public final class MatchBenchmark {

    static final String DATABASE = "relink_bench";
    private static final String DEFAULT_HEAP = "256m";
    private static final String ENTRA = "bench-entra";
    private static final String ATLASSIAN = "bench-atlassian";
    static final String TARGET_POLICY = "Entra SSO";
    /** Issue #5's target for matching a whole org end to end through Kafka. */
    private static final double TARGET_IDENTITIES_PER_SECOND = 50_000;

    private final Path root;
    private final int size;
    private final int runs;
    private final Jvm jvm;

    MatchBenchmark(Path root, int size, int runs, Jvm jvm) {
        this.root = root;
        this.size = size;
        this.runs = runs;
        this.jvm = jvm;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ServiceProcess.options(args);
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        MatchBenchmark bench = new MatchBenchmark(root,
                Integer.parseInt(options.getOrDefault("size", "1000000")), Integer.parseInt(options.getOrDefault("runs", "1")),
                Jvm.of(root, options, DEFAULT_HEAP));
        String table = bench.run(options);
        ServiceProcess.publish(options, table);
    }

    private String run(Map<String, String> options) throws Exception {
        List<Double> endToEnd = new ArrayList<>();
        List<Double> decided = new ArrayList<>();
        List<Double> hashJoin = new ArrayList<>();
        List<Double> sqlJoin = new ArrayList<>();
        List<Double> kafkaFloor = new ArrayList<>();
        List<Double> databaseFloor = new ArrayList<>();
        PostgresFloor.Result held = null;
        List<Double> startup = new ArrayList<>();
        long peakRss = 0;
        long expectedMatched = 0;
        String prefix = null;
        for (int run = 1; run <= runs; run++) {
            hashJoin.add(hashJoinSeconds());
            expectedMatched = hashJoinMatched();
            sqlJoin.add(sqlJoinSeconds());
            prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
            double produced = produce(prefix + "relink.identity.v1");
            Map<String, String> env = new HashMap<>(ServiceProcess.passthroughEnv());
            env.put("RELINK_TOPIC_PREFIX", prefix);
            env.put("RELINK_GROUP_PREFIX", prefix);
            env.put("RELINK_TARGET_POLICY", TARGET_POLICY);
            Instant start = Instant.now();
            try (ServiceProcess matcher = ServiceProcess.start(root, "matcher-service", jvm, DATABASE, env)) {
                startup.add(ServiceProcess.secondsSince(start));
                awaitDecisions(prefix, start, decided);
                endToEnd.add(ServiceProcess.secondsSince(start));
                peakRss = Math.max(peakRss, matcher.peakRssMib());
                long matched = count("select count(*) from matcher.match_decision where outcome = 'MATCHED'");
                System.err.printf(Locale.ROOT, "match run %d: %,d + %,d identities produced in %.1f s; matcher started in "
                                + "%.1f s, all accounts decided after %.1f s, every decision on Kafka after %.1f s; hash join "
                                + "%.2f s; MATCHED %,d (hash join: %,d); peak RSS %d MiB%n", run, size, size, produced,
                        startup.get(run - 1), decided.get(run - 1), endToEnd.get(run - 1), hashJoin.get(run - 1), matched,
                        expectedMatched, peakRss);
                if (matched != expectedMatched) {
                    throw new IllegalStateException("the matcher matched " + matched + " accounts, the hash join "
                            + expectedMatched + ": the benchmark measured something else than matching");
                }
            }
            kafkaFloor.add(kafkaFloorSeconds(prefix));
            held = databaseFloor();
            databaseFloor.add(held.seconds());
            System.err.printf(Locale.ROOT, "match run %d floors: Kafka %.1f s, PostgreSQL %.1f s (%s: %s)%n", run,
                    kafkaFloor.get(run - 1), held.seconds(), PostgresFloor.describe(held), PostgresFloor.steps(held));
        }
        footprints(options, prefix, startup.get(runs - 1), peakRss, endToEnd.get(runs - 1));
        double ours = CampaignBenchmark.median(endToEnd);
        double join = CampaignBenchmark.median(hashJoin);
        double floor = CampaignBenchmark.median(kafkaFloor);
        double dbFloor = CampaignBenchmark.median(databaseFloor);
        int identities = 2 * size;
        double budget = identities / TARGET_IDENTITIES_PER_SECOND;
        return String.format(Locale.ROOT, """
                ## Scenario 2: match %,d Atlassian accounts × %,d Entra users end to end through Kafka (medians of %d runs)

                | Measure | Seconds | Identities/s |
                |---|---:|---:|
                | Relink: matcher start → every account decided | %.1f | %,.0f |
                | Relink: matcher start → every decision on Kafka | %.1f | %,.0f |
                | Baseline: in-process hash join of the same identities by address | %.2f | %,.0f |
                | Reference: PostgreSQL, `COPY` of both sides into plain tables + one set-based join by address | %.2f | %,.0f |
                | Floor: Kafka alone, its `ConsumerPerformance` reading the %,d identity events + `ProducerPerformance` sending %,d records of %,d bytes (the decisions' count and mean size), acks=all (the tools' own times) | %.1f | %,.0f |
                | Floor: PostgreSQL alone, `COPY` of what the matcher holds after the run (%s) into empty tables of the same definition + its %d indexes built once | %.1f | %,.0f |
                | Floor total (Kafka + PostgreSQL) | %.1f | %,.0f |

                Target ≥ 50,000 identities/s: **%,.0f identities/s** (%.0f× the hash join's time). Kafka's own tools
                need %.1f s of the %.0f s that 50,000 identities/s allows, for the reads and writes alone; PostgreSQL's
                fastest way to hold the matcher's index and decisions (bulk load, indexes built once: the floor of any write
                path, set-based or not) needs %.1f s more. Matched accounts:
                %,d (the same as the hash join). Start-up of matcher-service (JVM start → ready, consuming from the first
                second): %.1f s. Peak RSS (`%s`): **%d MiB**. The %,d identity events were on the topic before the
                matcher started. Command: `./relink bench` (identities generated by `MatchBenchmark`, seeded).
                """, size, size, runs, CampaignBenchmark.median(decided), identities / CampaignBenchmark.median(decided),
                ours, identities / ours, join, identities / join, CampaignBenchmark.median(sqlJoin),
                identities / CampaignBenchmark.median(sqlJoin), identities, lastDecisionRecords, lastDecisionSize(), floor,
                identities / floor, PostgresFloor.describe(held), held.indexes(), dbFloor, identities / dbFloor,
                floor + dbFloor, identities / (floor + dbFloor), identities / ours, ours / join, floor, budget, dbFloor,
                expectedMatched,
                CampaignBenchmark.median(startup), jvm.label(), peakRss, identities);
    }

    /**
     * The I/O the run cannot do without, by Kafka's own tools on the same broker after the matcher stopped: read every
     * identity event of the run's topic, then send as many records as the matcher published decisions, of their mean
     * size. One after the other (the matcher overlaps them, on the same two cores).
     */
    private double kafkaFloorSeconds(String prefix) throws Exception {
        return KafkaTools.consumerPerformance(prefix + "relink.identity.v1", 2L * size)
                + KafkaTools.producerPerformance(prefix + "bench.floor", lastDecisionRecords, lastDecisionSize());
    }

    /**
     * The database's share of the floor, on the rows the matcher's run left: its identity index (identities and their
     * address rows) and its decisions, bulk-loaded into copies of its tables with their indexes built once.
     */
    private PostgresFloor.Result databaseFloor() throws Exception {
        try (Connection db = ServiceProcess.database(DATABASE)) {
            return PostgresFloor.measure(db, "matcher", List.of("identity", "identity_address", "match_decision"),
                    root.resolve("bench/target"));
        }
    }

    private int lastDecisionSize() {
        return lastDecisionRecords == 0 ? 1 : (int) (lastDecisionBytes / lastDecisionRecords);
    }

    // ---- the synthetic org -------------------------------------------------------------------------------------

    /** One Entra user of the synthetic org; {@code i} is its seed index. */
    record EntraUser(String objectId, String mail, String upn, List<String> aliases, boolean enabled, boolean guest,
                     String displayName) {
    }

    /** One Atlassian account of the synthetic org. */
    record Account(String accountId, String email, boolean active, String policy, String displayName) {
    }

    /** The Entra directory: every user has a mail; some a different UPN, some aliases; a few are disabled or guests. */
    void entraUsers(Consumer<EntraUser> sink) {
        Random random = new Random(7);
        for (int i = 0; i < size; i++) {
            String mail = "user" + i + "@example.com";
            String upn = random.nextInt(20) == 0 ? "u" + i + "@corp.example.com" : mail;
            List<String> aliases = random.nextInt(33) == 0 ? List.of("alias" + i + "@example.org") : List.of();
            sink.accept(new EntraUser(new UUID(42, i).toString(), mail, upn, aliases, random.nextInt(50) != 0,
                    random.nextInt(100) == 0, "User " + i + " Example"));
        }
    }

    /**
     * The Atlassian org: account {@code i} belongs to Entra user {@code i}, written the way exports write it (case
     * differences), sometimes by its alias or a {@code +tag}; some accounts have no Entra user at all.
     */
    void accounts(Consumer<Account> sink) {
        Random random = new Random(11);
        for (int i = 0; i < size; i++) {
            int kind = random.nextInt(100);
            String email;
            if (kind < 3) {
                email = "User" + i + "@Example.com";
            } else if (kind < 4) {
                email = "user" + i + "+jira@example.com";
            } else if (kind < 5) {
                email = "contractor" + i + "@partner.example";
            } else if (kind < 6 && i % 33 == 0) {
                email = "alias" + i + "@example.org";
            } else {
                email = "user" + i + "@example.com";
            }
            sink.accept(new Account("acc-" + i, email, random.nextInt(20) != 0,
                    random.nextInt(4) == 0 ? TARGET_POLICY : "Local accounts", "User " + i + " Example"));
        }
    }

    // ---- the baseline: an in-process hash join -------------------------------------------------------------------

    private long lastMatched;
    /** The decision records {@link #awaitDecisions} saw in the last run, and their values' bytes. */
    private long lastDecisionRecords;
    private long lastDecisionBytes;

    /** Builds the address → user map and probes it with every account: the matching work without Kafka or a database. */
    private double hashJoinSeconds() {
        Instant start = Instant.now();
        Map<String, EntraUser> byAddress = new HashMap<>(size * 3);
        Map<String, Integer> shared = new HashMap<>();
        entraUsers(user -> {
            for (String address : addresses(user)) {
                if (byAddress.putIfAbsent(address, user) != null && byAddress.get(address) != user) {
                    shared.merge(address, 1, Integer::sum);
                }
            }
        });
        Map<String, Integer> claims = new HashMap<>();
        List<String> matchedUsers = new ArrayList<>();
        accounts(account -> {
            String email = account.email().toLowerCase(Locale.ROOT);
            EntraUser user = byAddress.get(email);
            if (account.active() && !TARGET_POLICY.equals(account.policy()) && user != null && !shared.containsKey(email)) {
                matchedUsers.add(user.objectId());
                claims.merge(user.objectId(), 1, Integer::sum);
            }
        });
        lastMatched = matchedUsers.stream().filter(id -> claims.get(id) == 1).count();
        return ServiceProcess.secondsSince(start);
    }

    /**
     * What the database does with the same data set-wise: both sides copied into plain tables, then one join by
     * address (a hash join, not an index probe per key). Not a floor of the service (no decisions, no events), but
     * what a set-based snapshot path could build on.
     */
    private double sqlJoinSeconds() throws Exception {
        try (Connection db = ServiceProcess.database("postgres"); Statement sql = db.createStatement()) {
            sql.execute("drop table if exists bench_entra_address, bench_account");
            sql.execute("create unlogged table bench_entra_address (address text, object_id text)");
            sql.execute("create unlogged table bench_account (account_id text, email text, active boolean, policy text)");
            var copy = new org.postgresql.copy.CopyManager(db.unwrap(org.postgresql.core.BaseConnection.class));
            Path entra = root.resolve("bench/target/match-entra-" + size + ".tsv");
            Path accounts = root.resolve("bench/target/match-accounts-" + size + ".tsv");
            try (var out = Files.newBufferedWriter(entra)) {
                entraUsers(user -> addresses(user).forEach(address -> write(out, address + "\t" + user.objectId())));
            }
            try (var out = Files.newBufferedWriter(accounts)) {
                accounts(account -> write(out, account.accountId() + "\t" + account.email() + "\t" + account.active() + "\t"
                        + account.policy()));
            }
            Instant start = Instant.now();
            try (var in = Files.newBufferedReader(entra)) {
                copy.copyIn("copy bench_entra_address from stdin", in);
            }
            try (var in = Files.newBufferedReader(accounts)) {
                copy.copyIn("copy bench_account from stdin", in);
            }
            try (ResultSet rs = sql.executeQuery("select count(*) from (select a.account_id from bench_account a "
                    + "join bench_entra_address e on e.address = lower(a.email) where a.active and a.policy <> '" + TARGET_POLICY
                    + "' group by a.account_id having count(distinct e.object_id) = 1) matched")) {
                rs.next();
                if (rs.getLong(1) != lastMatched) {
                    throw new IllegalStateException("the SQL join matched " + rs.getLong(1) + " accounts, the hash join " + lastMatched);
                }
            }
            double seconds = ServiceProcess.secondsSince(start);
            sql.execute("drop table bench_entra_address, bench_account");
            return seconds;
        }
    }

    private static void write(java.io.Writer out, String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long hashJoinMatched() {
        return lastMatched;
    }

    private static Set<String> addresses(EntraUser user) {
        Set<String> all = new java.util.LinkedHashSet<>(user.aliases());
        all.add(user.mail());
        all.add(user.upn());
        return all;
    }

    // ---- Kafka -------------------------------------------------------------------------------------------------

    /**
     * Writes every identity event to the topic (Entra users first, as an operator pulls them); returns seconds. The
     * topic is created first (broker defaults) and every partition has a leader before the first record: a topic the
     * first record created made the producer retry through leader elections, and once it expired a record (the run
     * then measured a matcher that had not been sent every identity). Any record the broker did not take fails the
     * run here, before the matcher starts.
     */
    double produce(String topic) throws Exception {
        createTopic(topic);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceProcess.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Instant start = Instant.now();
        String snapshot = UUID.randomUUID().toString();
        SendFailures failures = new SendFailures();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            entraUsers(user -> send(producer, topic, failures, new IdentityChanged(ENTRA, SourceKind.ENTRA, snapshot, 1,
                    ChangeType.ADDED, user.objectId(), new Identity(user.objectId(), user.displayName(), user.mail(),
                    user.mail(), user.upn(), user.upn(), user.aliases(), user.enabled(), user.guest() ? "Guest" : "Member",
                    null))));
            accounts(account -> send(producer, topic, failures, new IdentityChanged(ATLASSIAN, SourceKind.ATLASSIAN,
                    snapshot, 1, ChangeType.ADDED, account.accountId(), new Identity(account.accountId(),
                    account.displayName(), account.email(), account.email().toLowerCase(Locale.ROOT), null, null, List.of(),
                    account.active(), null, account.policy()))));
            producer.flush();
        }
        if (failures.count.get() > 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the harness could not produce %,d identity events to "
                    + "%s (first: %s); nothing was measured", failures.count.get(), topic, failures.first.get()),
                    failures.first.get());
        }
        return ServiceProcess.secondsSince(start);
    }

    /** What the producer's callbacks (on its network thread) report: how many records failed, and the first error. */
    private static final class SendFailures {
        final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<Exception> first = new java.util.concurrent.atomic.AtomicReference<>();
    }

    private static void send(KafkaProducer<String, String> producer, String topic, SendFailures failures,
                             IdentityChanged change) {
        String key = change.sourceName() + "/" + change.externalId();
        String payload = EventCodec.encode(EventEnvelope.of("/relink/bench", EventTypes.IDENTITY_CHANGED_V1, key, change));
        producer.send(new ProducerRecord<>(topic, key, payload), (metadata, error) -> {
            if (error != null) {
                failures.count.incrementAndGet();
                failures.first.compareAndSet(null, error);
            }
        });
    }

    /** Creates the topic with the broker's default partitions and waits until each partition has a leader. */
    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceProcess.kafka()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, java.util.Optional.empty(),
                    java.util.Optional.empty()))).all().get();
            Instant deadline = Instant.now().plusSeconds(60);
            while (admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .anyMatch(partition -> partition.leader() == null || partition.leader().isEmpty())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("topic " + topic + " has partitions without a leader after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Scenario 5 on the database and topics the last run left: the matcher restarted with every identity indexed; the
     * executor taking in every decision from the topic (its copy of the newest decision per account), then restarted.
     */
    private void footprints(Map<String, String> options, String prefix, double matcherStart, long matcherPeak,
                            double matcherWork) throws Exception {
        Map<String, String> env = new HashMap<>(ServiceProcess.passthroughEnv());
        env.put("RELINK_TOPIC_PREFIX", prefix);
        env.put("RELINK_GROUP_PREFIX", prefix);
        env.put("RELINK_TARGET_POLICY", TARGET_POLICY);
        Footprint.Restart matcher = Footprint.restart(root, "matcher-service", jvm, DATABASE, env, options);
        Footprint.record(options, new Footprint.Row("matcher-service", jvm.label(), 2L * size, "identity events until every decision is on Kafka",
                matcherStart, matcherPeak, matcherWork, matcher.startSeconds(), matcher.idleRssMib(),
                matcher.settleSeconds()));
        Instant start = Instant.now();
        double executorStart;
        double intake;
        long executorPeak;
        try (ServiceProcess executor = ServiceProcess.startOn(root, "executor-service", jvm, DATABASE, env)) {
            executorStart = ServiceProcess.secondsSince(start);
            awaitCount("select count(*) from executor.match_decision", size, "executor-service");
            intake = ServiceProcess.secondsSince(start);
            executorPeak = executor.peakRssMib();
        }
        Footprint.Restart executor = Footprint.restart(root, "executor-service", jvm, DATABASE, env, options);
        Footprint.record(options, new Footprint.Row("executor-service", jvm.label(), size, "intake of every account's decision",
                executorStart, executorPeak, intake, executor.startSeconds(), executor.idleRssMib(),
                executor.settleSeconds()));
    }

    /** Waits until {@code query} counts {@code expected}; fails when the count stops moving for a minute. */
    private static void awaitCount(String query, long expected, String service) throws Exception {
        long last = -1;
        Instant progress = Instant.now();
        while (true) {
            long count = count(query);
            if (count >= expected) {
                return;
            }
            if (count != last) {
                last = count;
                progress = Instant.now();
            } else if (Duration.between(progress, Instant.now()).toSeconds() >= 60) {
                throw new IllegalStateException(service + ": " + count + " of " + expected + " after a minute without progress; "
                        + "see bench/target/" + service + ".log");
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Waits until every account's decision is on the matcher's topic (distinct keys, read as the executor reads them),
     * then adds to {@code decided} when the last account was decided (its decision's time, from the database). Neither
     * wait asks the database anything during the run: counting a million rows twice a second took a tenth of a core
     * from the run it measured. Progress: the matcher's committed offsets, from the broker.
     */
    void awaitDecisions(String prefix, Instant start, List<Double> decided) throws Exception {
        String topic = prefix + Topics.MATCH;
        String group = prefix + "relink-matcher";
        Set<String> onKafka = new HashSet<>();
        long last = -1;
        Instant progress = Instant.now();
        try (KafkaConsumer<String, Void> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceProcess.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new KeysOnly());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceProcess.kafka()))) {
            consumer.subscribe(List.of(topic));
            lastDecisionRecords = 0;
            lastDecisionBytes = 0;
            while (onKafka.size() < size) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    onKafka.add(record.key());
                    lastDecisionRecords++;
                    lastDecisionBytes += Math.max(0, record.serializedValueSize());
                });
                if (Duration.between(progress, Instant.now()).toSeconds() >= 10) {
                    long consumed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                            .filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
                    System.err.printf(Locale.ROOT, "  %,d identity events applied, %,d decisions on Kafka after %.0f s%n",
                            consumed, onKafka.size(), ServiceProcess.secondsSince(start));
                    if (consumed + onKafka.size() == last) {
                        throw new IllegalStateException("no progress for 10 s; see bench/target/matcher-service.log");
                    }
                    last = consumed + onKafka.size();
                    progress = Instant.now();
                }
            }
        }
        double lastDecided = count("select cast(extract(epoch from max(decided_at)) * 1000 as bigint) from matcher.match_decision")
                / 1000.0 - start.toEpochMilli() / 1000.0;
        decided.add(lastDecided);
    }

    /**
     * The watcher's value deserializer: it counts keys and never reads a value, so it does not copy or decode a
     * million ~1 kB decisions on the two cores the matcher it measures runs on.
     */
    private static final class KeysOnly implements org.apache.kafka.common.serialization.Deserializer<Void> {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, org.apache.kafka.common.header.Headers headers, java.nio.ByteBuffer data) {
            return null;
        }
    }

    /** A count from the benchmark database; 0 while the service has not created its tables yet. */
    static long count(String query) throws Exception {
        try (Connection db = ServiceProcess.database(DATABASE); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYetMigrated) {
            if ("42P01".equals(notYetMigrated.getSQLState())) {
                return 0;
            }
            throw notYetMigrated;
        }
    }
}
