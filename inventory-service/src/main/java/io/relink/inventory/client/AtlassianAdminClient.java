package io.relink.inventory.client;

import io.relink.support.client.ApiCalls;
import io.relink.support.client.ApiException;
import io.relink.support.client.ApiTarget;
import io.relink.support.client.ClientsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Atlassian organization API (v2 directory users, cursor paging) and the Control API's bulk fetch of each
 * user's authentication policy.
 */
@ApplicationScoped
public class AtlassianAdminClient {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AtlassianAdminClient.class);

    private final ClientsConfig.AtlassianAdmin config;
    private final ApiCalls calls;
    private final WebClient web;

    public AtlassianAdminClient(ClientsConfig clients, ApiCalls calls, Vertx vertx) {
        this.config = clients.atlassianAdmin();
        this.calls = calls;
        this.web = WebClient.create(vertx);
    }

    /**
     * Every managed account in the configured directory, page by page (cursor from {@code links.next}). Where the v2
     * directory API is not available (404: an organization not on the new user management yet), the v1 listing is
     * read instead; its accounts are returned in the v2 field names.
     */
    public Uni<List<JsonObject>> managedAccounts() {
        return page(null, new ArrayList<>())
                .onFailure(e -> e instanceof ApiException api && api.status() == 404).recoverWithUni(e -> {
                    LOG.infof("Atlassian v2 directory users unavailable (%s); reading the v1 organization users instead",
                            e.getMessage());
                    return v1Page(config.url() + "/admin/v1/orgs/" + orgId() + "/users", new ArrayList<>());
                });
    }

    /** v1: snake_case fields; {@code links.next} is a full URL, followed as given. */
    private Uni<List<JsonObject>> v1Page(String url, List<JsonObject> collected) {
        return calls.json(target(), "Atlassian organization users (v1)", () -> web.getAbs(url).bearerTokenAuthentication(apiKey()),
                null).flatMap(page -> {
            JsonArray data = page.getJsonArray("data", new JsonArray());
            data.forEach(entry -> {
                JsonObject user = (JsonObject) entry;
                collected.add(new JsonObject().put("accountId", user.getString("account_id"))
                        .put("email", user.getString("email")).put("name", user.getString("name"))
                        .put("accountStatus", user.getString("account_status")));
            });
            String next = page.getJsonObject("links", new JsonObject()).getString("next");
            return next == null || next.isBlank() || data.isEmpty() ? Uni.createFrom().item(collected) : v1Page(next, collected);
        });
    }

    private Uni<List<JsonObject>> page(String cursor, List<JsonObject> collected) {
        String url = config.url() + "/admin/v2/orgs/" + orgId() + "/directories/" + config.directoryId() + "/users";
        return calls.json(target(), "Atlassian directory users", () -> {
            var request = web.getAbs(url).bearerTokenAuthentication(apiKey())
                    .addQueryParam("claimStatus", "managed")
                    .addQueryParam("limit", String.valueOf(config.pageSize()));
            return cursor == null ? request : request.addQueryParam("cursor", cursor);
        }, null).flatMap(page -> {
            JsonArray data = page.getJsonArray("data", new JsonArray());
            data.forEach(user -> collected.add((JsonObject) user));
            String next = page.getJsonObject("links", new JsonObject()).getString("next");
            return next == null || next.isBlank() || data.isEmpty() ? Uni.createFrom().item(collected) : page(next, collected);
        });
    }

    /** email (lower case) -> policy name, for the given accounts. */
    public Uni<Map<String, String>> policyNames(List<String> emails) {
        return policyBatch(emails, 0, new HashMap<>());
    }

    private Uni<Map<String, String>> policyBatch(List<String> emails, int from, Map<String, String> names) {
        if (from >= emails.size()) {
            return Uni.createFrom().item(names);
        }
        List<String> batch = emails.subList(from, Math.min(from + config.policyBatchSize(), emails.size()));
        String url = config.url() + "/admin/control/v1/orgs/" + orgId() + "/users/auth-policies/bulk-fetch";
        Buffer body = Buffer.buffer(new JsonObject().put("users", new JsonArray(batch)).encode());
        return calls.json(target(), "Atlassian policy bulk fetch", () -> web.postAbs(url).bearerTokenAuthentication(apiKey())
                        .putHeader("Content-Type", "application/json"), body)
                .flatMap(result -> {
                    result.getJsonArray("data", new JsonArray()).forEach(entry -> {
                        JsonObject row = (JsonObject) entry;
                        if (row.getString("email") != null && row.getString("policyName") != null) {
                            names.put(row.getString("email").toLowerCase(Locale.ROOT), row.getString("policyName"));
                        }
                    });
                    return policyBatch(emails, from + batch.size(), names);
                });
    }

    private ApiTarget target() {
        return new ApiTarget("atlassian-admin", orgId(), config.rateLimit());
    }

    private String apiKey() {
        return ClientsConfig.required(config.apiKey(), "RELINK_ATLASSIAN_API_KEY");
    }

    private String orgId() {
        return ClientsConfig.required(config.orgId(), "RELINK_ATLASSIAN_ORG_ID");
    }


    @PreDestroy
    void close() {
        web.close();
    }
}
