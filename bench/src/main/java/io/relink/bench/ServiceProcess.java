package io.relink.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A packaged Relink service as its own JVM on a fresh database, as an operator would run it. */
final class ServiceProcess implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Process process;
    final String url;
    private final String module;
    private final Path log;

    private ServiceProcess(Process process, String url, String module, Path log) {
        this.process = process;
        this.url = url;
        this.module = module;
        this.log = log;
    }

    /**
     * Starts {@code module}'s quarkus-run.jar in {@code jvm} on a freshly created {@code database};
     * {@code env} adds to the environment. Its log goes to bench/target/{module}.log.
     */
    static ServiceProcess start(Path root, String module, Jvm jvm, String database, Map<String, String> env)
            throws Exception {
        recreateDatabase(database);
        return startOn(root, module, jvm, database, env);
    }

    /** {@link #start} on a database as it is (several services share one, each in its own schema). */
    static ServiceProcess startOn(Path root, String module, Jvm jvm, String database, Map<String, String> env)
            throws Exception {
        return startOn(root, module, jvm, database, env, module + ".log");
    }

    /** {@link #startOn} writing the service's output to {@code bench/target/<logName>}. */
    static ServiceProcess startOn(Path root, String module, Jvm jvm, String database, Map<String, String> env,
                                  String logName) throws Exception {
        ServiceProcess service = launch(root, module, jvm, database, env, logName);
        try {
            return service.awaitReady();
        } catch (Exception | Error e) {
            service.process.destroyForcibly(); // a service that never got ready must not outlive the benchmark
            throw e;
        }
    }

    /**
     * Launches {@code module} on a database as it is without waiting for it: several services then start side by side
     * (where their start-up is not what is measured); {@link #awaitReady} waits. Logs to bench/target/{module}.log.
     */
    static ServiceProcess launch(Path root, String module, Jvm jvm, String database, Map<String, String> env)
            throws IOException {
        return launch(root, module, jvm, database, env, module + ".log");
    }

    private static ServiceProcess launch(Path root, String module, Jvm jvm, String database, Map<String, String> env,
                                         String logName) throws IOException {
        Path jar = root.resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run 'mvn package' first (./relink bench does)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = root.resolve("bench/target/" + logName);
        Files.createDirectories(log.getParent());
        List<String> command = new java.util.ArrayList<>(List.of("java"));
        command.addAll(jvm.options());
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("RELINK_DB", database);
        return new ServiceProcess(builder.start(), "http://127.0.0.1:" + port, module, log);
    }

    static Connection database(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + env("RELINK_PG_HOST", "127.0.0.1") + ":"
                + env("RELINK_PG_PORT", "5432") + "/" + name, env("RELINK_PG_USER", "postgres"), env("RELINK_PG_PASSWORD", ""));
    }

    static void recreateDatabase(String name) throws SQLException {
        try (Connection connection = database("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
            statement.execute("create database " + name);
        }
    }

    /** Waits until the service answers ready (database migrated, Kafka reachable); fails if it exits or takes 2 minutes. */
    ServiceProcess awaitReady() throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited; see " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(module + " not ready; see " + log);
    }

    /** Peak resident memory of the JVM so far (VmHWM), in MiB. */
    long peakRssMib() throws IOException {
        return statusMib("VmHWM:");
    }

    /** Resident memory of the JVM now (VmRSS), in MiB. */
    long rssMib() throws IOException {
        return statusMib("VmRSS:");
    }

    private long statusMib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** A request; to /api with the run's bearer token (health and metrics are open). */
    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path));
        return path.startsWith("/api/") ? request.header("Authorization", bearer()) : request;
    }

    /** The token {@code ./relink bench} signed for this run (RELINK_TOKEN); the services trust its key. */
    private static String bearer() {
        String token = System.getenv("RELINK_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("RELINK_TOKEN is not set: run the benchmarks with ./relink bench");
        }
        return "Bearer " + token;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path)
                .timeout(Duration.ofMinutes(30));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.POST(body).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return json == null ? post(path, HttpRequest.BodyPublishers.noBody(), null)
                : post(path, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** Prints a benchmark's table and writes it to {@code --out}, where {@code ./relink bench} collects BENCHMARKS.md. */
    static void publish(Map<String, String> options, String table) throws IOException {
        System.out.println(table);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), table);
        }
    }

    /** {@code --name value} pairs of a benchmark's command line. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /** The Kafka broker the benchmarks use (the local stack's unless RELINK_KAFKA_BOOTSTRAP says otherwise). */
    static String kafka() {
        return env("RELINK_KAFKA_BOOTSTRAP", "127.0.0.1:29092");
    }

    /** Settings for the service under test: {@code BENCH_SERVICE_X=v} in the harness's environment becomes {@code X=v}. */
    static Map<String, String> passthroughEnv() {
        Map<String, String> env = new java.util.HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("BENCH_SERVICE_")) {   // e.g. BENCH_SERVICE_RELINK_MESSAGING_OUTBOX_BATCH_SIZE=5000
                env.put(name.substring("BENCH_SERVICE_".length()), value);
            }
        });
        return env;
    }

    /** Seconds since {@code start}, to the millisecond: every benchmark's clock. */
    static double secondsSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
