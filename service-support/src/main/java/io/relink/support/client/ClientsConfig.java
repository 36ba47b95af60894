package io.relink.support.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Connections to the vendors' APIs. Only base URLs and credentials differ between production and the
 * simulator. Credentials come from configuration or the environment and are never logged or stored.
 */
@ConfigMapping(prefix = "relink.clients")
public interface ClientsConfig {

    AtlassianAdmin atlassianAdmin();

    AtlassianScim atlassianScim();

    Graph graph();

    /**
     * Attempts per call before it fails on 5xx answers, timeouts and dropped connections. A 429 spends no attempt: it
     * is waited out (the server's Retry-After or X-RateLimit-Reset) for up to {@link #maxRetryDuration()}.
     */
    @WithDefault("8")
    int maxAttempts();

    /** Upper bound on the time one call may spend retrying, waits for 429s included. */
    @WithDefault("10m")
    Duration maxRetryDuration();

    CircuitBreaker circuitBreaker();

    /** A connection setting a call needs, or a 409 that names the variable to set (blank counts as unset). */
    static String required(java.util.Optional<String> value, String variable) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new io.relink.support.rest.InvalidInputException(409,
                "The connection is not configured: set " + variable, java.util.List.of()));
    }

    /** First back-off after a 5xx or a network error; doubles per attempt, with jitter. */
    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("30s")
    Duration maxBackoff();

    /** Per-request timeout. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** Client-side token bucket: at most {@code burst} calls at once, refilled at {@code perSecond}. */
    interface RateLimit {
        double perSecond();

        int burst();
    }

    /** Opens after {@code failureRatio} of the last {@code requestVolume} calls failed (5xx, timeouts); stays open {@code openFor}. */
    interface CircuitBreaker {
        @WithDefault("20")
        int requestVolume();

        @WithDefault("0.5")
        double failureRatio();

        @WithDefault("30s")
        Duration openFor();
    }

    interface AtlassianAdmin {
        @WithDefault("https://api.atlassian.com")
        String url();

        /** Organization API key (Bearer). */
        Optional<String> apiKey();

        Optional<String> orgId();

        /** "-" = every directory the key may read. */
        @WithDefault("-")
        String directoryId();

        /** Users per page of the v2 directory-users call (the API allows at most 100). */
        @WithDefault("100")
        int pageSize();

        /** Emails per policy bulk-fetch call. */
        @WithDefault("100")
        int policyBatchSize();

        /** Client-side limit for this API (defaults in service-support's microprofile-config.properties). */
        RateLimit rateLimit();
    }

    /** The Atlassian SCIM provisioning directory (its own API key, separate from the organization key). */
    interface AtlassianScim {
        @WithDefault("https://api.atlassian.com")
        String url();

        Optional<String> apiKey();

        Optional<String> directoryId();

        /** Client-side limit for this API (defaults in service-support's microprofile-config.properties). */
        RateLimit rateLimit();
    }

    interface Graph {
        @WithDefault("https://graph.microsoft.com/v1.0")
        String url();

        /**
         * A static bearer token (an app with User.Read.All, and GroupMember.ReadWrite.All or AppRoleAssignment.ReadWrite.All
         * for campaigns). Used only when no client id is set.
         */
        Optional<String> token();

        /** App registration (client id) for the OAuth 2.0 client-credentials grant; with {@link #clientSecret()}. */
        Optional<String> clientId();

        /** The app registration's client secret: from a secret or the environment, never from a committed file. */
        Optional<String> clientSecret();

        /** The Microsoft identity platform; tokens come from {@code {authorityUrl}/{tenantId}/oauth2/v2.0/token}. */
        @WithDefault("https://login.microsoftonline.com")
        String authorityUrl();

        /** The client-credentials scope: the Graph resource with {@code /.default}. */
        @WithDefault("https://graph.microsoft.com/.default")
        String scope();

        /** $top of the /users pull (Graph allows at most 999). */
        @WithDefault("999")
        int pageSize();

        /** The Entra tenant (limits are per app and tenant); only names the client-side limit when unset. */
        @WithDefault("default")
        String tenantId();

        /** Client-side limit for this API (defaults in service-support's microprofile-config.properties). */
        RateLimit rateLimit();
    }
}
