package io.relink.e2e;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine or cluster runs here, so docker-compose.yml is checked against the services' own configuration:
 * every service, port, image and environment variable it names must exist. {@link KubernetesManifestsTest} does the
 * same for k8s/.
 */
class DeploymentDescriptorsTest {

    private static final Path ROOT = Path.of(System.getProperty("relink.root", "..")).toAbsolutePath().normalize();
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    private static final Pattern PROJECT_VERSION = Pattern.compile("<artifactId>relink-parent</artifactId>\\s*<version>([^<]+)</version>");

    @Test
    void composeMatchesTheServices() throws IOException {
        Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml")).get(0);
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("kafka", "postgres");
        for (String service : RunningServices.SERVICES) {
            Map<String, Object> definition = composeService(services, service, environmentVariables(service));
            Map<String, Object> dependsOn = map(definition.get("depends_on"));
            assertThat(dependsOn).containsOnlyKeys("kafka", "postgres");
            dependsOn.forEach((dependency, condition) -> {
                assertThat(map(condition)).containsEntry("condition", "service_healthy");
                assertThat(map(services.get(dependency))).containsKey("healthcheck");
            });
        }
    }

    @Test
    void composeRunsTheConsoleInFrontOfTheServices() throws IOException {
        Map<String, Object> services = map(yaml(ROOT.resolve("docker-compose.yml")).get(0).get("services"));
        Map<String, Object> console = composeService(services, "console", environmentVariables("console", false));
        Map<String, Object> environment = map(console.get("environment"));
        for (String service : RunningServices.SERVICES) {
            String variable = "RELINK_" + service.replace("-service", "").toUpperCase(java.util.Locale.ROOT) + "_URL";
            assertThat(environment).containsEntry(variable, "http://" + service + ":" + httpPort(service));
            assertThat(map(map(console.get("depends_on")).get(service))).containsEntry("condition", "service_healthy");
        }
    }

    /** What every service of the compose file has: its image and build, its port, the variables it reads, a healthcheck. */
    private static Map<String, Object> composeService(Map<String, Object> services, String service, Set<String> known) throws IOException {
        Map<String, Object> definition = map(services.get(service));
        assertThat(definition).as("compose service %s", service).isNotNull();
        int port = httpPort(service);

        Map<String, Object> build = map(definition.get("build"));
        Path context = ROOT.resolve((String) build.get("context")).normalize();
        assertThat(context).as("build context of %s", service).isEqualTo(ROOT.resolve(service));
        Path dockerfile = context.resolve((String) build.get("dockerfile"));
        assertThat(dockerfile).exists();
        assertThat(Files.readString(dockerfile)).contains("EXPOSE " + port);
        assertThat(definition.get("image")).isEqualTo(image(service));

        assertThat(list(definition.get("ports"))).containsExactly(port + ":" + port);
        assertThat(map(definition.get("environment")).keySet()).as("environment of %s", service)
                .isNotEmpty().allSatisfy(name -> assertThat(known).as("variables %s reads", service).contains(name));
        assertThat(map(definition.get("environment"))).containsEntry("RELINK_HTTP_HOST", "0.0.0.0");
        assertThat(String.valueOf(map(definition.get("healthcheck")).get("test")))
                .contains("http://localhost:" + port + "/q/health/ready");
        return definition;
    }

    @Test
    void environmentVariableScanFindsWhatTheServicesRead() throws IOException {
        // Guards the check above against passing vacuously.
        assertThat(environmentVariables("inventory-service")).contains("RELINK_PG_HOST", "RELINK_KAFKA_BOOTSTRAP", "RELINK_HTTP_HOST");
        assertThat(environmentVariables("executor-service")).contains("RELINK_TARGET_POLICY").doesNotContain("RELINK_MAX_UPLOAD");
    }

    static int httpPort(String service) throws IOException {
        return Integer.parseInt(properties(service).getProperty("quarkus.http.port"));
    }

    /** The service's own application.properties. */
    static Properties properties(String service) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    /** RELINK_* variables the service's configuration reads (its own file plus the shared defaults). */
    static Set<String> environmentVariables(String service) throws IOException {
        return environmentVariables(service, true);
    }

    /** RELINK_* variables a module's configuration reads: its own file, and the shared defaults if it uses them. */
    static Set<String> environmentVariables(String service, boolean sharedDefaults) throws IOException {
        Set<String> names = new HashSet<>();
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve(service).resolve("src/main/resources/application.properties")));
        if (sharedDefaults) {
            files.add(ROOT.resolve("service-support/src/main/resources/META-INF/microprofile-config.properties"));
        }
        for (Path file : files) {
            Matcher matcher = ENV_REFERENCE.matcher(Files.readString(file));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    static String image(String service) throws IOException {
        Matcher matcher = PROJECT_VERSION.matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(matcher.find()).isTrue();
        return "relink/" + service + ":" + matcher.group(1);
    }

    private static List<Map<String, Object>> yaml(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
            documents.add(map(document));
        }
        return documents;
    }

    private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in manifest"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
