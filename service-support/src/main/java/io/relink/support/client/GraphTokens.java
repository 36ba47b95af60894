package io.relink.support.client;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens for Microsoft Graph. With a client id and secret (an app registration), tokens come from the Microsoft
 * identity platform by the OAuth 2.0 client-credentials grant and are reused until shortly before they expire;
 * without them, a static token from configuration is used as is. Secrets and tokens are never logged.
 */
@ApplicationScoped
public class GraphTokens {

    /** A token is renewed this long before Microsoft says it expires (clock skew, calls in flight). */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    /** How to authenticate to one tenant's Graph. */
    public record Credentials(String tenantId, Optional<String> staticToken, Optional<String> clientId,
                              Optional<String> clientSecret, String authorityUrl, String scope,
                              ClientsConfig.RateLimit rateLimit, String settingsHint) {

        public static Credentials of(ClientsConfig.Graph graph) {
            return new Credentials(graph.tenantId(), graph.token(), graph.clientId(), graph.clientSecret(),
                    graph.authorityUrl(), graph.scope(), graph.rateLimit(),
                    "RELINK_GRAPH_CLIENT_ID and RELINK_GRAPH_CLIENT_SECRET (or RELINK_GRAPH_TOKEN)");
        }

        boolean usesClientCredentials() {
            return clientId.filter(v -> !v.isBlank()).isPresent();
        }
    }

    private record Cached(String token, Instant renewAt) {
    }

    private final ApiCalls calls;
    private final WebClient web;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public GraphTokens(ApiCalls calls, Vertx vertx) {
        this.calls = calls;
        this.web = WebClient.create(vertx);
    }

    public Uni<String> token(Credentials credentials) {
        if (!credentials.usesClientCredentials()) {
            return Uni.createFrom().item(() -> ClientsConfig.required(credentials.staticToken(), credentials.settingsHint()));
        }
        String key = credentials.tenantId() + "|" + credentials.clientId().orElseThrow();
        Cached cached = cache.get(key);
        if (cached != null && Instant.now().isBefore(cached.renewAt())) {
            return Uni.createFrom().item(cached.token());
        }
        String secret = ClientsConfig.required(credentials.clientSecret(), credentials.settingsHint());
        String url = credentials.authorityUrl() + "/" + encode(credentials.tenantId()) + "/oauth2/v2.0/token";
        Buffer form = Buffer.buffer("grant_type=client_credentials&client_id=" + encode(credentials.clientId().orElseThrow())
                + "&client_secret=" + encode(secret) + "&scope=" + encode(credentials.scope()));
        return calls.json(new ApiTarget("identity-platform", credentials.tenantId(), credentials.rateLimit()),
                        "Microsoft identity platform token for tenant " + credentials.tenantId(),
                        () -> web.postAbs(url).putHeader("Content-Type", "application/x-www-form-urlencoded"), form)
                .map(answer -> {
                    String token = answer.getString("access_token");
                    if (token == null || token.isBlank()) {
                        throw new ApiException("The token endpoint answered without an access_token", 200, "UNEXPECTED_RESPONSE");
                    }
                    long lifetime = answer.getLong("expires_in", 3599L);
                    cache.put(key, new Cached(token, Instant.now().plusSeconds(lifetime).minus(RENEW_BEFORE)));
                    return token;
                });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        web.close();
    }
}
