package io.relink.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything about the simulator that a test or an operator may want to change. Defaults follow the
 * vendors' documented limits where they are published; where they are not (marked "unconfirmed") they are
 * plausible values, configurable so a test can tighten them.
 *
 * @param graphClientId              the app registration allowed to get {@code graphToken} by the OAuth 2.0
 *                                   client-credentials flow, with {@code graphClientSecret}
 * @param provisioningEmailAttribute which Entra attribute the provisioning service pushes as the SCIM
 *                                   email/userName: {@code mail} (the Atlassian gallery app's default) or
 *                                   {@code userPrincipalName}
 */
public record SimulatorConfig(
        int port,
        String host,
        String adminApiKey,
        String scimApiKey,
        String graphToken,
        String graphClientId,
        String graphClientSecret,
        Duration provisioningDelay,
        Duration policyTaskDelay,
        String provisioningEmailAttribute,
        boolean deprovisionOnUnassign,
        RateLimit atlassianAdminLimit,
        RateLimit scimLimit,
        RateLimit graphLimit,
        double atlassianRetryAfterShare,
        int v1PageSize,
        int v2MaxLimit,
        int graphDefaultPageSize,
        int graphMaxTop,
        int scimMaxCount,
        int addUsersMaxBatch,
        Duration deltaTokenLifetime) {

    /** Token bucket: {@code capacity} calls at once, refilled at {@code perSecond}. */
    public record RateLimit(long capacity, double perSecond) {
        public static RateLimit unlimited() {
            return new RateLimit(1_000_000, 1_000_000);
        }
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(8090, "127.0.0.1", "sim-admin-api-key", "sim-scim-api-key", "sim-graph-token", "sim-graph-client",
                "sim-graph-client-secret",
                Duration.ofMillis(200), Duration.ofMillis(200), "mail", true,
                // Atlassian publishes no figures for the admin APIs (unconfirmed): modest defaults.
                new RateLimit(100, 50), new RateLimit(100, 50),
                // Graph identity limit: 8,000 resource units per 10 s per app and tenant.
                new RateLimit(800, 80), 0.5,
                100, 100, 100, 999, 100,
                // add-users batch maximum is not published (unconfirmed).
                1000,
                Duration.ofDays(7));
    }

    /** Reads overrides from a key/value source (environment or system properties): RELINK_SIM_*. */
    public static SimulatorConfig fromEnvironment(Map<String, String> env) {
        SimulatorConfig d = defaults();
        Function<String, String> get = key -> env.get("RELINK_SIM_" + key);
        return new SimulatorConfig(
                intOr(get.apply("PORT"), d.port()),
                strOr(get.apply("HOST"), d.host()),
                strOr(get.apply("ADMIN_API_KEY"), d.adminApiKey()),
                strOr(get.apply("SCIM_API_KEY"), d.scimApiKey()),
                strOr(get.apply("GRAPH_TOKEN"), d.graphToken()),
                strOr(get.apply("GRAPH_CLIENT_ID"), d.graphClientId()),
                strOr(get.apply("GRAPH_CLIENT_SECRET"), d.graphClientSecret()),
                Duration.ofMillis(intOr(get.apply("PROVISIONING_DELAY_MS"), (int) d.provisioningDelay().toMillis())),
                Duration.ofMillis(intOr(get.apply("POLICY_TASK_DELAY_MS"), (int) d.policyTaskDelay().toMillis())),
                strOr(get.apply("PROVISIONING_EMAIL_ATTRIBUTE"), d.provisioningEmailAttribute()),
                d.deprovisionOnUnassign(),
                d.atlassianAdminLimit(), d.scimLimit(), d.graphLimit(), d.atlassianRetryAfterShare(),
                d.v1PageSize(), d.v2MaxLimit(), d.graphDefaultPageSize(), d.graphMaxTop(), d.scimMaxCount(),
                d.addUsersMaxBatch(), d.deltaTokenLifetime());
    }

    public SimulatorConfig withPort(int newPort) {
        return new SimulatorConfig(newPort, host, adminApiKey, scimApiKey, graphToken, graphClientId, graphClientSecret, provisioningDelay, policyTaskDelay,
                provisioningEmailAttribute, deprovisionOnUnassign, atlassianAdminLimit, scimLimit, graphLimit,
                atlassianRetryAfterShare, v1PageSize, v2MaxLimit, graphDefaultPageSize, graphMaxTop, scimMaxCount,
                addUsersMaxBatch, deltaTokenLifetime);
    }

    public SimulatorConfig withLimits(RateLimit admin, RateLimit scim, RateLimit graph, double retryAfterShare) {
        return new SimulatorConfig(port, host, adminApiKey, scimApiKey, graphToken, graphClientId, graphClientSecret, provisioningDelay, policyTaskDelay,
                provisioningEmailAttribute, deprovisionOnUnassign, admin, scim, graph, retryAfterShare, v1PageSize,
                v2MaxLimit, graphDefaultPageSize, graphMaxTop, scimMaxCount, addUsersMaxBatch, deltaTokenLifetime);
    }

    public SimulatorConfig withDelays(Duration provisioning, Duration policyTask) {
        return new SimulatorConfig(port, host, adminApiKey, scimApiKey, graphToken, graphClientId, graphClientSecret, provisioning, policyTask,
                provisioningEmailAttribute, deprovisionOnUnassign, atlassianAdminLimit, scimLimit, graphLimit,
                atlassianRetryAfterShare, v1PageSize, v2MaxLimit, graphDefaultPageSize, graphMaxTop, scimMaxCount,
                addUsersMaxBatch, deltaTokenLifetime);
    }

    private static int intOr(String value, int fallback) {
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }

    private static String strOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
