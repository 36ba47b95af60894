package io.relink.bench;

import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Backpressure: a burst of ten times the events must not take ten times the memory. For each consuming service (the
 * matcher's identity events, the executor's match decisions), a burst of N and then of 10 N events waits on its input
 * topic before the service starts with a fixed heap; the service drains it while its heap use and resident memory are
 * sampled. Consumers take bounded polls ({@code max.poll.records}) and commit as they go, so memory should follow
 * the batch size, not the backlog: the table shows whether it does. A service that runs out of memory fails the run.
 */
public final class BackpressureBenchmark {

    private static final String DATABASE = MatchBenchmark.DATABASE;
    private static final String HEAP = "256m";
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);
    /** Peak RSS at 10× within this factor of the 1× figure counts as bounded. */
    private static final double BOUNDED = 1.25;

    private static final List<String> SERVICES = List.of("matcher-service", "executor-service");

    private final Path root;
    private final int base;
    private final List<String> services;

    /** What one burst cost a service. */
    record Burst(String service, int factor, long events, double seconds, long peakHeapMib, long peakRssMib) {
    }

    private BackpressureBenchmark(Path root, int base, List<String> services) {
        this.root = root;
        this.base = base;
        this.services = services;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ServiceProcess.options(args);
        BackpressureBenchmark bench = new BackpressureBenchmark(Path.of(options.getOrDefault("root", ".")).toAbsolutePath()
                .normalize(), Integer.parseInt(options.getOrDefault("base", "20000")),
                // --services matcher-service: one service's bursts only (the quick smoke run)
                List.of(options.getOrDefault("services", String.join(",", SERVICES)).split(",")));
        if (!SERVICES.containsAll(bench.services)) {
            throw new IllegalArgumentException("--services takes " + SERVICES + ", not " + bench.services);
        }
        String table = bench.run();
        ServiceProcess.publish(options, table);
    }

    private String run() throws Exception {
        List<Burst> bursts = new ArrayList<>();
        for (String service : services) {
            for (int factor : new int[]{1, 10}) {
                bursts.add(service.equals("matcher-service") ? matcher(factor) : executor(factor));
            }
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                ## Backpressure: a burst of 10× the events (issue #9)

                Each service starts with `-Xmx%s` while the whole burst already waits on its input topic, and drains it.

                | Service | Burst | Events | Drained in | Events/s | Peak heap used | Peak RSS |
                |---|---:|---:|---:|---:|---:|---:|
                """, HEAP));
        for (Burst burst : bursts) {
            table.append(String.format(Locale.ROOT, "| %s | %d× | %,d | %.1f s | %,.0f | %d MiB | %d MiB |%n", burst.service(),
                    burst.factor(), burst.events(), burst.seconds(), burst.events() / burst.seconds(), burst.peakHeapMib(),
                    burst.peakRssMib()));
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        services.forEach(service -> ratios.put(service, ratio(bursts, service)));
        String verdict = Collections.max(ratios.values()) <= BOUNDED
                ? "memory follows the poll size (`max.poll.records`; the matcher's batch, `RELINK_MATCHER_BATCH_SIZE`), not the backlog"
                : "memory grew with the backlog by more than " + Math.round((BOUNDED - 1) * 100) + "% between these two bursts "
                + "(a larger 1× burst, or a 100× point, tells whether it levels off)";
        table.append(String.format(Locale.ROOT, """

                Peak RSS at 10× the burst against the 1× figure: %s; %s. \
                Command: `./relink bench` (`BackpressureBenchmark --base %d`).
                """, ratios.entrySet().stream().map(r -> String.format(Locale.ROOT, "%.2f× for %s", r.getValue(), r.getKey()))
                .collect(Collectors.joining(", ")), verdict, base));
        return table.toString();
    }

    private static double ratio(List<Burst> bursts, String service) {
        List<Burst> of = bursts.stream().filter(b -> b.service().equals(service)).toList();
        return (double) of.get(1).peakRssMib() / of.get(0).peakRssMib();
    }

    /** Identity events: half Entra users, half Atlassian accounts (MatchBenchmark's org); drained when all are decided. */
    private Burst matcher(int factor) throws Exception {
        int accounts = base * factor / 2;
        MatchBenchmark org = new MatchBenchmark(root, accounts, 1, Jvm.heap(root, HEAP));
        String prefix = prefix();
        org.produce(prefix + "relink.identity.v1");
        Map<String, String> env = environment(prefix);
        env.put("RELINK_TARGET_POLICY", MatchBenchmark.TARGET_POLICY);
        Instant start = Instant.now();
        try (ServiceProcess matcher = ServiceProcess.start(root, "matcher-service", Jvm.heap(root, HEAP), DATABASE, env);
             Sampler heap = new Sampler(matcher)) {
            org.awaitDecisions(prefix, start, new ArrayList<>());
            return burst("matcher-service", factor, 2L * accounts, start, heap, matcher);
        }
    }

    /** Match decisions for as many accounts; drained when the executor holds every one. */
    private Burst executor(int factor) throws Exception {
        int decisions = base * factor;
        String prefix = prefix();
        produceDecisions(prefix + "relink.match.v1", decisions);
        Instant start = Instant.now();
        try (ServiceProcess executor = ServiceProcess.start(root, "executor-service", Jvm.heap(root, HEAP), DATABASE, environment(prefix));
             Sampler heap = new Sampler(executor)) {
            await(() -> {
                if (!executor.process.isAlive()) {
                    throw new IllegalStateException("executor-service died draining the burst; see bench/target/executor-service.log");
                }
                return MatchBenchmark.count("select count(*) from executor.match_decision") >= decisions;
            }, "executor decisions");
            return burst("executor-service", factor, decisions, start, heap, executor);
        }
    }

    private static Burst burst(String service, int factor, long events, Instant start, Sampler heap, ServiceProcess process)
            throws Exception {
        double seconds = ServiceProcess.secondsSince(start);
        Burst burst = new Burst(service, factor, events, seconds, heap.peakMib(), process.peakRssMib());
        System.err.printf(Locale.ROOT, "backpressure %s %d×: %,d events drained in %.1f s; peak heap %d MiB, peak RSS %d MiB%n",
                service, factor, events, seconds, burst.peakHeapMib(), burst.peakRssMib());
        return burst;
    }

    private static String prefix() {
        return "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    private static Map<String, String> environment(String prefix) {
        Map<String, String> env = new HashMap<>(ServiceProcess.passthroughEnv());
        env.put("RELINK_TOPIC_PREFIX", prefix);
        env.put("RELINK_GROUP_PREFIX", prefix);
        return env;
    }

    private static void produceDecisions(String topic, int decisions) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceProcess.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < decisions; i++) {
                String key = "bench-atlassian/acc-" + i;
                MatchDecided decided = new MatchDecided("bench-atlassian", "acc-" + i, "user" + i + "@example.com",
                        "User " + i, MatchOutcome.MATCHED, "bench-entra", new UUID(42, i).toString(), 0.99,
                        "EMAIL_EQUALS_MAIL", List.of(), List.of(), "Local accounts", "mail equals email", 1);
                producer.send(new ProducerRecord<>(topic, key, EventCodec.encode(EventEnvelope.of("/relink/bench",
                        EventTypes.MATCH_DECIDED_V1, key, decided))));
            }
            producer.flush();
        }
    }

    interface Condition {
        boolean met() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        while (!condition.met()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + ": not drained in 30 minutes");
            }
            Thread.sleep(SAMPLE_EVERY.toMillis());
        }
    }

    /** Samples the service's heap in use (its Prometheus metrics) in the background; fails if the service dies. */
    private static final class Sampler implements AutoCloseable {

        private final AtomicLong peakBytes = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(ServiceProcess service) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        long used = service.get("/q/metrics").body().lines()
                                .filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
                        peakBytes.accumulateAndGet(used, Math::max);
                        Thread.sleep(SAMPLE_EVERY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        if (!service.process.isAlive()) {
                            return;
                        }
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long peakMib() {
            return peakBytes.get() / (1024 * 1024);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }
    }
}
