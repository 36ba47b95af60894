package io.relink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Topics;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three packaged services as separate JVMs, on free ports, against the real local broker and a
 * fresh database of their own; topics get a prefix unique to this run. Logs go to target/e2e-logs.
 * A service can run as several replicas: name them {@code matcher-service#2}, {@code matcher-service#3}, … next to
 * {@code matcher-service}; each is a JVM of its own in the same consumer group.
 */
final class RunningServices implements AutoCloseable {

    static final String[] SERVICES = {"inventory-service", "matcher-service", "executor-service"};

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m"));
    private final Path root;
    private final Path logs;
    private final String topicPrefix;

    private RunningServices(Path root, Path logs, String topicPrefix) {
        this.root = root;
        this.logs = logs;
        this.topicPrefix = topicPrefix;
    }

    static RunningServices start() throws Exception {
        return start(Map.of(), SERVICES);
    }

    /** Starts the named services (or replicas, see above) with extra environment (e.g. API connections), each in its own JVM. */
    static RunningServices start(Map<String, String> extraEnvironment, String... services) throws Exception {
        return start(null, extraEnvironment, services);
    }

    /**
     * Starts the three services in the JVM profile {@code jvmProfile} of the repository's {@code jvm/} folder (its
     * options file, as {@code RELINK_SERVICE_JVM} makes {@code ./relink up} run them).
     */
    static RunningServices startInJvmProfile(String jvmProfile) throws Exception {
        return start(jvmProfile, Map.of(), SERVICES);
    }

    private static RunningServices start(String jvmProfile, Map<String, String> extraEnvironment, String... services)
            throws Exception {
        Path root = Path.of(System.getProperty("relink.root", "..")).toAbsolutePath().normalize();
        String database = env("RELINK_E2E_DB", "relink_e2e");
        recreateDatabase(database);
        Path logs = root.resolve("e2e-tests/target/e2e-logs");
        Files.createDirectories(logs);
        RunningServices running = new RunningServices(root, logs, "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        if (jvmProfile != null) {
            Path options = root.resolve("jvm/" + jvmProfile + ".args");
            assertThat(options).as("the JVM profile's options file").isRegularFile();
            running.jvmOptions.clear();
            running.jvmOptions.add("@" + options);
        }
        running.environment.put("RELINK_DB", database);
        running.environment.put("RELINK_TOPIC_PREFIX", running.topicPrefix);
        running.environment.put("RELINK_GROUP_PREFIX", running.topicPrefix);
        // The services trust the test key; REST Assured calls act as an admin unless a test says otherwise.
        running.environment.put("RELINK_JWT_PUBLIC_KEY_LOCATION",
                TestTokens.writePublicKey(root.resolve("e2e-tests/target/e2e-auth")).toString());
        TestTokens.authenticateAsAdmin();
        running.environment.putAll(extraEnvironment);
        try {
            for (String service : services) {
                running.ports.put(service, freePort());
                Files.deleteIfExists(logs.resolve(service + ".log"));
                running.launch(service);
            }
            for (String service : services) {
                running.awaitReadyOnAFreePort(service);
            }
        } catch (Exception e) {
            running.close();
            throw e;
        }
        return running;
    }

    /**
     * Executor settings for crash tests against the simulator: a short campaign lease, so that another replica (or
     * the restarted one) takes a campaign over within seconds, and quick polling of the simulator's fast tasks.
     */
    static Map<String, String> quickTakeover() {
        return Map.of("RELINK_EXECUTOR_ENGINE_LEASE", "3s",
                "RELINK_EXECUTOR_ENGINE_IN_FLIGHT_GRACE", "2s",
                "RELINK_EXECUTOR_ENGINE_LINK_CHECK_FIRST", "200ms",
                "RELINK_EXECUTOR_ENGINE_LINK_CHECK_MAX_INTERVAL", "1s",
                "RELINK_EXECUTOR_ENGINE_TASK_POLL_INTERVAL", "200ms");
    }

    /** What a {@code ./relink} command printed (stdout and stderr) and its exit code. */
    record CommandResult(int exitCode, String output) {
    }

    /** Runs {@code ./relink args…} against these services, their topics and consumer groups. */
    CommandResult cli(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("relink").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(serviceUrls());
        builder.environment().put("RELINK_ACTOR", "e2e-test");
        // Its own state folder: the CLI must not see (and e.g. stop for a replay) services a developer runs. It signs
        // its tokens with the key the services trust, as it does on the local stack.
        Path state = root.resolve("e2e-tests/target/e2e-cli-state");
        TestTokens.writePrivateKey(state.resolve("auth"));
        TestTokens.writePublicKey(state.resolve("auth"));
        builder.environment().put("RELINK_STATE_DIR", state.toString());
        builder.environment().put("RELINK_TOPIC_PREFIX", topicPrefix);
        builder.environment().put("RELINK_GROUP_PREFIX", topicPrefix);
        String bootstrap = env("RELINK_KAFKA_BOOTSTRAP", "127.0.0.1:29092");
        builder.environment().put("RELINK_KAFKA_PORT", bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        return run(builder, "relink " + String.join(" ", args));
    }

    /**
     * Runs {@code ./relink stack args…} on the stack this JVM's environment names (RELINK_STATE_DIR, RELINK_KAFKA_PORT,
     * RELINK_PG_PORT: {@code ./relink chaos} sets them to a stack of its own).
     */
    CommandResult stack(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("relink").toString(), "stack"));
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command).redirectErrorStream(true), "relink stack " + String.join(" ", args));
    }

    private static CommandResult run(ProcessBuilder builder, String what) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish");
        }
        return new CommandResult(process.exitValue(), output);
    }

    /** The value of one Prometheus series of a service ({@code name{labels}} as /q/metrics prints it), 0 when absent. */
    double metric(String service, String series) {
        // The text format may end a label list with a comma: {a="1",b="2",}
        return metrics(service).lines().map(line -> line.replace(",} ", "} ")).filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1))).sum();
    }

    /** The service's /q/metrics page (Prometheus text format). */
    String metrics(String service) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url(service) + "/q/metrics").toURL().openConnection();
            try (var in = connection.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(url(service) + "/q/metrics cannot be read", e);
        }
    }

    /** Everything the service has logged in this run (all its starts). */
    String log(String service) throws IOException {
        return Files.readString(logs.resolve(service + ".log"));
    }

    /** The database the services of this run share (a schema each). */
    static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + env("RELINK_PG_HOST", "127.0.0.1") + ":"
                + env("RELINK_PG_PORT", "5432") + "/" + env("RELINK_E2E_DB", "relink_e2e"), env("RELINK_PG_USER", "postgres"),
                env("RELINK_PG_PASSWORD", ""));
    }

    /** Counts the decisions the matcher wrote whose events it has not sent yet (its decision publisher's backlog). */
    static final String UNPUBLISHED_DECISIONS = "select count(*) from matcher.match_decision"
            + " where publish_seq > (select published_seq from matcher.decision_publication)";

    /** The first column of the first row of a query (a count) against the services' database. */
    static int count(String query) throws SQLException {
        try (Connection db = database(); Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Rows per table of every service's schema. */
    static Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("select table_schema || '.' || table_name from information_schema.tables "
                    + "where table_schema in ('inventory', 'matcher', 'executor') and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = sql.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        if (counts.isEmpty()) {
            throw new IllegalStateException("no tables in the services' schemas");
        }
        return counts;
    }

    /**
     * The vendor credentials the services were given (environment) appear in none of their logs, none of this run's
     * events (every Relink topic, keys and headers included) and no row of their database schemas (audit trail
     * included).
     */
    void assertCredentialsAppearNowhere(List<String> secrets, String... services) throws Exception {
        assertThat(secrets).isNotEmpty().allSatisfy(secret ->
                assertThat(secret).hasSizeGreaterThan(8));
        List<String> events = new ArrayList<>();
        for (String topic : List.of(Topics.IDENTITY, Topics.MATCH, Topics.CAMPAIGN, Topics.CAMPAIGN_DEAD_LETTERS)) {
            KafkaTestClient.readAll(topicPrefix + topic, Duration.ofSeconds(30))
                    .forEach(r -> events.add(r.key() + " " + r.value() + " " + java.util.Arrays.toString(r.headers().toArray())));
        }
        assertThat(events).as("events of this run").isNotEmpty();
        try (Connection db = database(); Statement sql = db.createStatement()) {
            for (String service : services) {
                String log = log(service);
                String schema = service.replace("-service", "");
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = sql.executeQuery("select table_name from information_schema.tables where table_schema = '"
                        + schema + "' and table_type = 'BASE TABLE'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                assertThat(tables).as("tables of " + schema).isNotEmpty();
                for (String secret : secrets) {
                    assertThat(log).as("the log of " + service).doesNotContain(secret);
                    for (String table : tables) {
                        try (ResultSet rs = sql.executeQuery("select count(*) from " + schema + "." + table + " t where t::text like '%"
                                + secret.replace("'", "''") + "%'")) {
                            rs.next();
                            assertThat(rs.getLong(1)).as("rows of %s.%s holding a credential", schema, table)
                                    .isZero();
                        }
                    }
                }
            }
        }
        for (String secret : secrets) {
            assertThat(events).as("events").noneMatch(event -> event.contains(secret));
        }
    }

    /** A service's OpenAPI document, as it serves it: every operation with its roles (security) and body types. */
    JsonNode openApi(String service) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url(service) + "/q/openapi?format=json").toURL().openConnection();
        try (java.io.InputStream in = connection.getInputStream()) {
            return new ObjectMapper().readTree(in);
        } finally {
            connection.disconnect();
        }
    }

    /** The topic prefix of this run: topic names are this plus the logical name. */
    String topicPrefix() {
        return topicPrefix;
    }

    private void launch(String service) throws IOException {
        Path jar = root.resolve(module(service)).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run 'mvn package' (or './relink test') from the repository root");
        }
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile()));
        builder.environment().putAll(environment);
        if (module(service).equals("console")) {
            builder.environment().putAll(serviceUrls()); // the console forwards to the services started before it
        }
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(service)));
        processes.put(service, builder.start());
    }

    /** RELINK_INVENTORY_URL and the like, for the CLI and the console: where each service (not a replica) answers. */
    private Map<String, String> serviceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        ports.keySet().stream().filter(service -> !service.contains("#") && service.endsWith("-service")).forEach(service ->
                urls.put("RELINK_" + service.replace("-service", "").toUpperCase(java.util.Locale.ROOT) + "_URL", url(service)));
        return urls;
    }

    /** The module a service or replica name ({@code matcher-service#2}) runs. */
    private static String module(String service) {
        int replica = service.indexOf('#');
        return replica < 0 ? service : service.substring(0, replica);
    }

    /** The operating-system process id of a running service or replica. */
    long pid(String service) {
        return processes.get(service).pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye — a crash. */
    void kill(String service) throws InterruptedException {
        Process process = processes.get(service);
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: a graceful stop (shutdown hooks run, in-flight work is interrupted), as an orchestrator does. */
    void stop(String service) throws InterruptedException {
        Process process = processes.get(service);
        process.destroy();
        process.waitFor();
    }

    /**
     * Waits until the service is ready. A free port can be taken by another process between the moment it was picked
     * and the moment the service binds it (several JVMs start at once, each opening connections): then the service
     * is started again on another port.
     */
    private void awaitReadyOnAFreePort(String service) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                awaitReady(service, Duration.ofSeconds(120), logs);
                return;
            } catch (IllegalStateException exited) {
                if (attempt == 3 || !log(service).contains("seems to be in use by another process")) {
                    throw exited;
                }
                ports.put(service, freePort());
                launch(service);
            }
        }
    }

    /** Starts a killed service again on the same port and waits until it is ready. */
    void restart(String service) throws Exception {
        launch(service);
        awaitReady(service, Duration.ofSeconds(120), logs);
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    private void awaitReady(String service, Duration timeout, Path logs) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!processes.get(service).isAlive()) {
                throw new IllegalStateException(service + " exited during start-up; see " + logs.resolve(service + ".log"));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url(service) + "/q/health/ready").toURL().openConnection();
                connection.setConnectTimeout(1000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(service + " not ready after " + timeout.toSeconds() + " s; see " + logs.resolve(service + ".log"));
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        for (Process process : processes.values()) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void recreateDatabase(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        String url = "jdbc:postgresql://" + env("RELINK_PG_HOST", "127.0.0.1") + ":" + env("RELINK_PG_PORT", "5432") + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, env("RELINK_PG_USER", "postgres"), env("RELINK_PG_PASSWORD", ""));
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
