package io.relink.inventory.client;

import io.relink.support.client.ApiCalls;
import io.relink.support.client.ApiTarget;
import io.relink.support.client.ClientsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The Atlassian SCIM directory's users ({@code GET /scim/directory/{id}/Users}), paged by {@code startIndex}
 * (1-based) and {@code count} as SCIM 2.0 and Atlassian document: at most 100 per page, no sort.
 */
@ApplicationScoped
public class AtlassianScimClient {

    private final ApiCalls calls;
    private final WebClient web;

    public AtlassianScimClient(ApiCalls calls, Vertx vertx) {
        this.calls = calls;
        this.web = WebClient.create(vertx);
    }

    public Uni<List<JsonObject>> users(Connections.Scim connection) {
        return page(connection, 1, new ArrayList<>());
    }

    private Uni<List<JsonObject>> page(Connections.Scim connection, int startIndex, List<JsonObject> collected) {
        String url = connection.url() + "/scim/directory/" + connection.directoryId() + "/Users";
        return calls.json(target(connection), "SCIM users", () -> web.getAbs(url).bearerTokenAuthentication(connection.apiKey())
                .addQueryParam("startIndex", String.valueOf(startIndex))
                .addQueryParam("count", String.valueOf(connection.pageSize())), null).flatMap(page -> {
            JsonArray resources = page.getJsonArray("Resources", new JsonArray());
            resources.forEach(user -> collected.add((JsonObject) user));
            int total = page.getInteger("totalResults", 0);
            int next = startIndex + resources.size();
            return resources.isEmpty() || next > total ? Uni.createFrom().item(collected) : page(connection, next, collected);
        });
    }

    private static ApiTarget target(Connections.Scim connection) {
        return new ApiTarget("atlassian-scim", connection.directoryId(), connection.rateLimit());
    }

    @PreDestroy
    void close() {
        web.close();
    }
}
