package io.relink.inventory.client;

import io.relink.support.client.ApiCalls;
import io.relink.support.client.ApiException;
import io.relink.support.client.ApiTarget;
import io.relink.support.client.GraphTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Microsoft Graph {@code /users}, following {@code @odata.nextLink} verbatim as Microsoft documents. */
@ApplicationScoped
public class GraphClient {

    /** Every attribute the matcher may use; several are returned only when selected. */
    static final String SELECT = "id,userPrincipalName,mail,otherMails,proxyAddresses,displayName,givenName,surname,"
            + "accountEnabled,userType,employeeId,onPremisesImmutableId";

    private final ApiCalls calls;
    private final GraphTokens tokens;
    private final WebClient web;

    public GraphClient(ApiCalls calls, GraphTokens tokens, Vertx vertx) {
        this.calls = calls;
        this.tokens = tokens;
        this.web = WebClient.create(vertx);
    }

    public Uni<List<JsonObject>> users(Connections.Graph config) {
        String first = config.url() + "/users?$select=" + SELECT + "&$top=" + config.pageSize();
        return page(config, first, new ArrayList<>());
    }

    private Uni<List<JsonObject>> page(Connections.Graph config, String url, List<JsonObject> collected) {
        return get(config, "Graph users", url).flatMap(page -> {
            page.getJsonArray("value", new JsonArray()).forEach(user -> collected.add((JsonObject) user));
            String next = page.getString("@odata.nextLink");
            return next == null ? Uni.createFrom().item(collected) : page(config, next, collected);
        });
    }

    /**
     * One delta round: from {@code deltaLink}, or from the start when it is null. Follows @odata.nextLink to
     * the end and returns the entries and the new @odata.deltaLink. An expired link answers 410
     * (syncStateNotFound): the caller must start over without it.
     */
    public Uni<DeltaRound> delta(Connections.Graph config, String deltaLink) {
        String first = deltaLink != null ? deltaLink : config.url() + "/users/delta?$select=" + SELECT;
        return deltaPage(config, first, new ArrayList<>());
    }

    private Uni<DeltaRound> deltaPage(Connections.Graph config, String url, List<JsonObject> collected) {
        return get(config, "Graph users delta", url).flatMap(page -> {
            page.getJsonArray("value", new JsonArray()).forEach(entry -> collected.add((JsonObject) entry));
            String next = page.getString("@odata.nextLink");
            if (next != null) {
                return deltaPage(config, next, collected);
            }
            String deltaLink = page.getString("@odata.deltaLink");
            if (deltaLink == null) {
                return Uni.createFrom().failure(new ApiException("Graph delta ended without @odata.deltaLink", 200));
            }
            return Uni.createFrom().item(new DeltaRound(collected, deltaLink));
        });
    }

    private static ApiTarget target(Connections.Graph config) {
        return new ApiTarget("graph", config.credentials().tenantId(), config.rateLimit());
    }

    /** A whole user, with every selected property (delta entries may carry only the changed ones). */
    public Uni<JsonObject> user(Connections.Graph config, String id) {
        String url = config.url() + "/users/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                + "?$select=" + SELECT;
        return get(config, "Graph user " + id, url);
    }

    /** One GET with a current token (static, or from the client-credentials grant). */
    private Uni<JsonObject> get(Connections.Graph config, String what, String url) {
        return tokens.token(config.credentials()).flatMap(token ->
                calls.json(target(config), what, () -> web.getAbs(url).bearerTokenAuthentication(token), null));
    }

    public record DeltaRound(List<JsonObject> entries, String deltaLink) {
    }

    @PreDestroy
    void close() {
        web.close();
    }
}
