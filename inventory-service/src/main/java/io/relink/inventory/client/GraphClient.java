package io.relink.inventory.client;

import io.relink.inventory.config.ClientsConfig;
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

    private final ClientsConfig.Graph config;
    private final ApiCalls calls;
    private final WebClient web;

    public GraphClient(ClientsConfig clients, ApiCalls calls, Vertx vertx) {
        this.config = clients.graph();
        this.calls = calls;
        this.web = WebClient.create(vertx);
    }

    public Uni<List<JsonObject>> users() {
        String first = config.url() + "/users?$select=" + SELECT + "&$top=" + config.pageSize();
        return page(first, new ArrayList<>());
    }

    private Uni<List<JsonObject>> page(String url, List<JsonObject> collected) {
        String token = config.token().orElseThrow(() -> AtlassianAdminClient.notConfigured("RELINK_GRAPH_TOKEN"));
        return calls.json("Graph users", () -> web.getAbs(url).bearerTokenAuthentication(token), null).flatMap(page -> {
            page.getJsonArray("value", new JsonArray()).forEach(user -> collected.add((JsonObject) user));
            String next = page.getString("@odata.nextLink");
            return next == null ? Uni.createFrom().item(collected) : page(next, collected);
        });
    }

    @PreDestroy
    void close() {
        web.close();
    }
}
