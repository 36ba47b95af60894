package io.relink.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The three packaged services as separate JVMs, on free ports, against the real local broker and a
 * fresh database of their own; topics get a prefix unique to this run. Logs go to target/e2e-logs.
 */
final class RunningServices implements AutoCloseable {

    static final String[] SERVICES = {"inventory-service", "matcher-service", "executor-service"};

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    static RunningServices start() throws Exception {
        Path root = Path.of(System.getProperty("relink.root", "..")).toAbsolutePath().normalize();
        String database = env("RELINK_E2E_DB", "relink_e2e");
        recreateDatabase(database);
        Path logs = root.resolve("e2e-tests/target/e2e-logs");
        Files.createDirectories(logs);
        String topicPrefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".";

        RunningServices services = new RunningServices();
        try {
            for (String service : SERVICES) {
                Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(jar + " is missing: run 'mvn package' (or './relink test') from the repository root");
                }
                int port = freePort();
                ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(logs.resolve(service + ".log").toFile());
                Map<String, String> environment = builder.environment();
                environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
                environment.put("RELINK_DB", database);
                environment.put("RELINK_TOPIC_PREFIX", topicPrefix);
                environment.put("RELINK_GROUP_PREFIX", topicPrefix);
                services.processes.put(service, builder.start());
                services.ports.put(service, port);
            }
            for (String service : SERVICES) {
                services.awaitReady(service, Duration.ofSeconds(120), logs);
            }
        } catch (Exception e) {
            services.close();
            throw e;
        }
        return services;
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
