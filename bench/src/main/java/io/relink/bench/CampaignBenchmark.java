package io.relink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.AtlassianAccount;
import io.relink.simulator.model.SeedSpec;
import io.relink.simulator.model.SimulatedOrg;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario 3 of the benchmark harness: a campaign of N users through the packaged executor against the API
 * simulator at fixed rate limits, next to (a) the rate-limit minimum — the fewest calls the work needs divided by
 * each API's limit, plus one provisioning and one policy-task delay — and (b) a sequential client that makes one
 * call at a time, measured in the same run. Prints a Markdown table; asserts nothing.
 */
public final class CampaignBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Limits of the simulated vendor APIs in this benchmark (calls per second); the executor is told the same. */
    static final double ADMIN_RATE = 20;
    static final double SCIM_RATE = 50;
    static final double GRAPH_RATE = 40;
    static final Duration PROVISIONING_DELAY = Duration.ofMillis(200);
    static final Duration TASK_DELAY = Duration.ofMillis(200);

    private final Path root;
    private final int users;
    private final int runs;
    private final int sequentialSample;

    private CampaignBenchmark(Path root, int users, int runs, int sequentialSample) {
        this.root = root;
        this.users = users;
        this.runs = runs;
        this.sequentialSample = sequentialSample;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ServiceProcess.options(args);
        CampaignBenchmark bench = new CampaignBenchmark(Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize(),
                Integer.parseInt(options.getOrDefault("users", "2000")), Integer.parseInt(options.getOrDefault("runs", "3")),
                Integer.parseInt(options.getOrDefault("sequential-sample", "100")));
        String table = bench.run();
        ServiceProcess.publish(options, table);
        System.exit(0);
    }

    String run() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults().withPort(0)
                .withLimits(new SimulatorConfig.RateLimit((long) ADMIN_RATE, ADMIN_RATE),
                        new SimulatorConfig.RateLimit((long) SCIM_RATE, SCIM_RATE),
                        new SimulatorConfig.RateLimit((long) GRAPH_RATE, GRAPH_RATE), 0.5)
                .withDelays(PROVISIONING_DELAY, TASK_DELAY);
        List<Double> campaignSeconds = new ArrayList<>();
        List<Long> throttled = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        double floor = floorSeconds();
        double sequentialPerUser;
        try (ApiSimulator simulator = ApiSimulator.start(config, cleanWorld(users));
             Executor executor = Executor.start(root, simulator)) {
            for (int run = 1; run <= runs; run++) {
                simulator.seed(cleanWorld(users));
                simulator.counters().reset();
                String source = "bench-" + UUID.randomUUID().toString().substring(0, 8);
                publishDecisions(executor, simulator.org(), source);
                Result result = executor.campaign(source, users);
                campaignSeconds.add(result.seconds());
                failed.add(result.failed());
                throttled.add(simulator.counters().responseSnapshot().entrySet().stream()
                        .filter(e -> e.getKey().endsWith(" 429")).mapToLong(Map.Entry::getValue).sum());
                System.err.printf(Locale.ROOT, "run %d: %.1f s, %d failed, %d answers were 429%n", run, result.seconds(),
                        result.failed(), throttled.get(throttled.size() - 1));
            }
            simulator.seed(cleanWorld(sequentialSample));
            sequentialPerUser = new SequentialClient(simulator).secondsPerUser();
        }
        double median = median(campaignSeconds);
        double sequential = sequentialPerUser * users;
        return String.format(Locale.ROOT, """
                ### Campaign of %,d users against the simulator (scenario 3)

                Limits: Atlassian admin %.0f/s, SCIM %.0f/s, Graph %.0f/s; provisioning %d ms, policy task %d ms.
                Runs: %d (median). Sequential client: measured on %d users, per-user time × %,d.

                | measure | value | floor / baseline | ratio | target |
                |---|---|---|---|---|
                | campaign duration (median) | %.1f s | rate-limit minimum %.1f s | %.2f× | ≤ 1.1× |
                | sequential one-call-at-a-time client | %.1f s (%.3f s/user) | this campaign %.1f s | %.1f× faster | ≥ 10× |
                | users failed (all runs) | %d | 0 | | 0 |
                | 429 answers (all runs) | %d | 0 | | 0 failures from 429s |

                Runs (s): %s
                """, users, ADMIN_RATE, SCIM_RATE, GRAPH_RATE, PROVISIONING_DELAY.toMillis(), TASK_DELAY.toMillis(), runs,
                sequentialSample, users, median, floor, median / floor, sequential, sequentialPerUser, median,
                sequential / median, failed.stream().mapToLong(Long::longValue).sum(),
                throttled.stream().mapToLong(Long::longValue).sum(), campaignSeconds);
    }

    /**
     * The fewest calls the work needs, per API, divided by that API's limit; the slowest API sets the pace. Plus the
     * latency no client can avoid: one provisioning delay and one policy task.
     */
    double floorSeconds() {
        double admin = 3.0 * Math.ceil(users / 100.0) / ADMIN_RATE; // read policies, add-users, one task poll per 100
        double graph = Math.ceil(users / 20.0) / GRAPH_RATE;        // members@odata.bind, 20 per call
        double scim = users / SCIM_RATE;                            // one link check per user
        return Math.max(admin, Math.max(graph, scim)) + (PROVISIONING_DELAY.toMillis() + TASK_DELAY.toMillis()) / 1000.0;
    }

    static SeedSpec cleanWorld(int accounts) {
        return new SeedSpec(null, null, null, null, accounts, 5L, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0, 0, 0);
    }

    private static void publishDecisions(Executor executor, SimulatedOrg org, String source) throws Exception {
        Map<String, String> idpByMail = new HashMap<>();
        org.entraUsers.values().forEach(u -> idpByMail.put(u.mail.toLowerCase(Locale.ROOT), u.id));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceProcess.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (AtlassianAccount account : org.accounts.values()) {
                String key = source + "/" + account.accountId;
                MatchDecided decided = new MatchDecided(source, account.accountId, account.email, account.name,
                        MatchOutcome.MATCHED, "entra", idpByMail.get(account.email.toLowerCase(Locale.ROOT)), 0.99,
                        "EMAIL_EQUALS_MAIL", List.of(), List.of(), "Local accounts", "benchmark", 1);
                producer.send(new ProducerRecord<>(executor.topicPrefix + Topics.MATCH, key,
                        EventCodec.encode(EventEnvelope.of("/bench", EventTypes.MATCH_DECIDED_V1, key, decided))));
            }
        }
        executor.awaitDecisions(source, org.accounts.size());
    }

    record Result(double seconds, long failed) {
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The packaged executor as its own JVM, on a fresh database, told the simulator's limits. */
    static final class Executor implements AutoCloseable {
        private final ServiceProcess service;
        private final String topicPrefix;

        private Executor(ServiceProcess service, String topicPrefix) {
            this.service = service;
            this.topicPrefix = topicPrefix;
        }

        static Executor start(Path root, ApiSimulator simulator) throws Exception {
            Map<String, String> env = new HashMap<>(vendorConnections(simulator));
            String topicPrefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
            env.put("RELINK_TOPIC_PREFIX", topicPrefix);
            env.put("RELINK_GROUP_PREFIX", topicPrefix);
            return new Executor(ServiceProcess.start(root, "executor-service", Jvm.heap(root, "384m"), "relink_bench", env), topicPrefix);
        }

        /** The simulator's vendor APIs as the services' connections, and the executor's settings for them. */
        static Map<String, String> vendorConnections(ApiSimulator simulator) {
            Map<String, String> env = new HashMap<>();
            String base = simulator.baseUrl();
            SimulatorConfig config = simulator.config();
            env.put("RELINK_ATLASSIAN_ADMIN_URL", base);
            env.put("RELINK_ATLASSIAN_API_KEY", config.adminApiKey());
            env.put("RELINK_ATLASSIAN_ORG_ID", simulator.org().orgId);
            env.put("RELINK_ATLASSIAN_SCIM_URL", base);
            env.put("RELINK_ATLASSIAN_SCIM_API_KEY", config.scimApiKey());
            env.put("RELINK_ATLASSIAN_SCIM_DIRECTORY_ID", simulator.org().scimDirectoryId);
            env.put("RELINK_GRAPH_URL", base + "/v1.0");
            env.put("RELINK_GRAPH_TOKEN", config.graphToken());
            // The executor is configured with the vendors' limits, as an operator would.
            env.put("RELINK_CLIENTS_ATLASSIAN_ADMIN_RATE_LIMIT_PER_SECOND", String.valueOf(ADMIN_RATE));
            env.put("RELINK_CLIENTS_ATLASSIAN_SCIM_RATE_LIMIT_PER_SECOND", String.valueOf(SCIM_RATE));
            env.put("RELINK_CLIENTS_GRAPH_RATE_LIMIT_PER_SECOND", String.valueOf(GRAPH_RATE));
            env.put("RELINK_EXECUTOR_ENGINE_LINK_CHECK_FIRST", PROVISIONING_DELAY.toMillis() + "ms");
            env.put("RELINK_EXECUTOR_ENGINE_LINK_CHECK_MAX_INTERVAL", "1s");
            env.put("RELINK_EXECUTOR_ENGINE_TASK_POLL_INTERVAL", TASK_DELAY.toMillis() + "ms");
            env.put("RELINK_EXECUTOR_ENGINE_LINK_CHECKS_PER_TICK", "500");
            return env;
        }

        void awaitDecisions(String source, int count) throws Exception {
            Instant deadline = Instant.now().plusSeconds(120);
            while (Instant.now().isBefore(deadline)) {
                if (JSON.readTree(service.get("/api/decisions/count?source=" + source).body()).path("count").asInt() >= count) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the executor did not receive " + count + " decisions");
        }

        Result campaign(String source, int users) throws Exception {
            String id = JSON.readTree(service.post("/api/campaigns", "{\"atlassianSource\":\"" + source
                    + "\",\"canarySize\":5,\"waveSize\":" + users + "}").body()).path("id").asText();
            service.post("/api/campaigns/" + id + "/plan", null);
            Instant started = Instant.now();
            service.post("/api/campaigns/" + id + "/start", null);
            while (true) {
                JsonNode status = JSON.readTree(service.get("/api/campaigns/" + id).body());
                String state = status.path("state").asText();
                if (!state.equals("RUNNING")) {
                    double seconds = ServiceProcess.secondsSince(started);
                    if (!state.equals("COMPLETED")) {
                        throw new IllegalStateException("campaign ended " + state + ": " + status.path("stateReason").asText());
                    }
                    return new Result(seconds, status.path("users").path("FAILED").asLong(0));
                }
                Thread.sleep(100);
            }
        }

        @Override
        public void close() throws InterruptedException {
            service.close();
        }
    }

    static String env(String name, String fallback) {
        return ServiceProcess.env(name, fallback);
    }
}
