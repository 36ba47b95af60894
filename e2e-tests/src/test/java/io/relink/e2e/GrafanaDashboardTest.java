package io.relink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard (k8s/grafana/relink-overview.json) must chart only metrics the services export: every
 * {@code relink_*} series it queries is registered in the services' code (Micrometer's Prometheus naming: dots to
 * underscores, {@code _total} for counters, {@code _seconds_*} for timers); the others are the framework's own, which
 * {@link PipelineIT} finds on the running services' {@code /q/metrics}.
 */
class GrafanaDashboardTest {

    private static final Path ROOT = Path.of(System.getProperty("relink.root", "..")).toAbsolutePath().normalize();
    private static final Path DASHBOARD = ROOT.resolve("k8s/grafana/relink-overview.json");
    /** Framework series (Quarkus HTTP, JVM, the Kafka client): see PipelineIT for their presence at run time. */
    static final Set<String> FRAMEWORK_METRICS = Set.of("http_server_requests_seconds_count", "jvm_memory_used_bytes",
            "kafka_consumer_fetch_manager_records_lag_max");
    private static final Pattern METER_NAME = Pattern.compile("\"(relink\\.[a-z0-9_.]+)\"");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "rate", "increase", "by", "without",
            "histogram_quantile", "count");

    @Test
    void everySeriesTheDashboardChartsIsExported() throws IOException {
        Set<String> queried = queriedMetrics();
        assertThat(queried).as("the dashboard queries something").hasSizeGreaterThan(5);
        Set<String> registered = registeredMeters();
        for (String metric : queried) {
            if (metric.startsWith("relink_")) {
                assertThat(registered.stream().anyMatch(meter -> exports(meter, metric)))
                        .as("%s is charted but no service registers a meter that exports it (meters: %s)", metric, registered)
                        .isTrue();
            } else {
                assertThat(FRAMEWORK_METRICS).as("%s is neither a Relink meter nor a known framework series", metric)
                        .contains(metric);
            }
        }
    }

    @Test
    void everyPanelHasATitleADescriptionAndAQuery() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("relink-overview");
        assertThat(dashboard.path("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("description").asText()).as(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("targets")).isNotEmpty();
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        });
    }

    /** The series names in every panel's PromQL: label matchers, ranges, grouping and functions removed. */
    static Set<String> queriedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText()
                        .replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\\b(by|without)\\s*\\([^)]*\\)", " ");
                Matcher identifier = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(expr);
                while (identifier.find()) {
                    if (!PROMQL_WORDS.contains(identifier.group())) {
                        names.add(identifier.group());
                    }
                }
            }
        }
        return names;
    }

    /** Every {@code "relink.…"} meter name in the services' and service-support's main code. */
    private static Set<String> registeredMeters() throws IOException {
        Set<String> meters = new TreeSet<>();
        for (String module : new String[]{"service-support", "inventory-service", "matcher-service", "executor-service"}) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module + "/src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    if (!source.contains("MeterRegistry")) {
                        continue;
                    }
                    Matcher name = METER_NAME.matcher(source);
                    while (name.find()) {
                        meters.add(name.group(1));
                    }
                }
            }
        }
        return meters;
    }

    private static boolean exports(String meter, String series) {
        String base = meter.replace('.', '_');
        return Stream.of("", "_total", "_seconds_count", "_seconds_sum", "_seconds_max").anyMatch(suffix -> series.equals(base + suffix));
    }
}
