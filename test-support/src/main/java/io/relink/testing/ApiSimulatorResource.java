package io.relink.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.SeedSpec;

import java.time.Duration;
import java.util.Map;

/**
 * Starts the API simulator in the test JVM, on a free port, and points the service's clients at it:
 * only base URLs and credentials change between the simulator and production.
 *
 * <p>Use: {@code @QuarkusTestResource(value = ApiSimulatorResource.class, initArgs = @ResourceArg(name = "accounts", value = "200"))}.
 * Init args: {@code accounts} (default 100), {@code seed} (default 42), {@code provisioningDelayMs} and
 * {@code policyTaskDelayMs} (default 50).
 */
public class ApiSimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** Configuration keys the services' clients read. */
    public static final String ATLASSIAN_ADMIN_URL = "relink.clients.atlassian-admin.url";
    public static final String ATLASSIAN_ADMIN_KEY = "relink.clients.atlassian-admin.api-key";
    public static final String ATLASSIAN_ORG_ID = "relink.clients.atlassian-admin.org-id";
    public static final String ATLASSIAN_SCIM_URL = "relink.clients.atlassian-scim.url";
    public static final String ATLASSIAN_SCIM_KEY = "relink.clients.atlassian-scim.api-key";
    public static final String ATLASSIAN_SCIM_DIRECTORY = "relink.clients.atlassian-scim.directory-id";
    public static final String GRAPH_URL = "relink.clients.graph.url";
    public static final String GRAPH_TOKEN = "relink.clients.graph.token";
    /** The simulator also serves the Microsoft identity platform's token endpoint (client credentials). */
    public static final String GRAPH_AUTHORITY_URL = "relink.clients.graph.authority-url";
    /** Where a test reaches the simulator's own /__admin endpoints. */
    public static final String SIMULATOR_URL = "relink.simulator.url";

    private ApiSimulator simulator;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = initArgs == null ? Map.of() : Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        SimulatorConfig config = SimulatorConfig.defaults().withPort(0).withDelays(
                Duration.ofMillis(Long.parseLong(args.getOrDefault("provisioningDelayMs", "50"))),
                Duration.ofMillis(Long.parseLong(args.getOrDefault("policyTaskDelayMs", "50"))));
        SeedSpec seed = new SeedSpec(null, null, null, null, Integer.parseInt(args.getOrDefault("accounts", "100")),
                Long.parseLong(args.getOrDefault("seed", "42")), null, null, null, null, null, null, null, null, null, null,
                null, null);
        simulator = ApiSimulator.start(config, seed);
        return overrides(simulator);
    }

    /** The configuration that points Relink's clients at a running simulator. */
    public static Map<String, String> overrides(ApiSimulator simulator) {
        SimulatorConfig config = simulator.config();
        String base = simulator.baseUrl();
        return Map.of(
                ATLASSIAN_ADMIN_URL, base,
                ATLASSIAN_ADMIN_KEY, config.adminApiKey(),
                ATLASSIAN_ORG_ID, simulator.org().orgId,
                ATLASSIAN_SCIM_URL, base,
                ATLASSIAN_SCIM_KEY, config.scimApiKey(),
                ATLASSIAN_SCIM_DIRECTORY, simulator.org().scimDirectoryId,
                GRAPH_URL, base + "/v1.0",
                GRAPH_TOKEN, config.graphToken(),
                GRAPH_AUTHORITY_URL, base,
                SIMULATOR_URL, base);
    }

    /**
     * The same configuration as environment variables, for a packaged service started as a process: each property's
     * name in Quarkus's environment form ({@code relink.clients.graph.url} → {@code RELINK_CLIENTS_GRAPH_URL}).
     */
    /** The credentials a service is given for the simulator: none may appear in a log, an event or a row. */
    public static java.util.List<String> credentials(ApiSimulator simulator) {
        Map<String, String> overrides = overrides(simulator);
        return java.util.List.of(ATLASSIAN_ADMIN_KEY, ATLASSIAN_SCIM_KEY, GRAPH_TOKEN).stream().map(overrides::get).toList();
    }

    public static Map<String, String> environment(ApiSimulator simulator) {
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        overrides(simulator).forEach((key, value) ->
                environment.put(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        return environment;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(simulator, new TestInjector.MatchesType(ApiSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
