package io.relink.inventory.client;

import io.relink.support.client.ApiCalls;
import io.relink.support.client.ApiException;
import io.relink.support.client.ApiTarget;
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

    private final ApiCalls calls;
    private final WebClient web;

    public AtlassianAdminClient(ApiCalls calls, Vertx vertx) {
        this.calls = calls;
        this.web = WebClient.create(vertx);
    }

    /**
     * Every managed account in the configured directory, page by page (cursor from {@code links.next}). Where the v2
     * directory API is not available (404: an organization not on the new user management yet), the v1 listing is
     * read instead; its accounts are returned in the v2 field names.
     */
    public Uni<List<JsonObject>> managedAccounts(Connections.AtlassianAdmin config) {
        return page(config, null, new ArrayList<>())
                .onFailure(e -> e instanceof ApiException api && api.status() == 404).recoverWithUni(e -> {
                    LOG.infof("Atlassian v2 directory users unavailable (%s); reading the v1 organization users instead",
                            e.getMessage());
                    return v1Page(config, config.url() + "/admin/v1/orgs/" + config.orgId() + "/users", new ArrayList<>());
                });
    }

    /** v1: snake_case fields; {@code links.next} is a full URL, followed as given. */
    private Uni<List<JsonObject>> v1Page(Connections.AtlassianAdmin config, String url, List<JsonObject> collected) {
        return calls.json(target(config), "Atlassian organization users (v1)", () -> web.getAbs(url).bearerTokenAuthentication(config.apiKey()),
                null).flatMap(page -> {
            JsonArray data = page.getJsonArray("data", new JsonArray());
            data.forEach(entry -> {
                JsonObject user = (JsonObject) entry;
                collected.add(new JsonObject().put("accountId", user.getString("account_id"))
                        .put("email", user.getString("email")).put("name", user.getString("name"))
                        .put("accountStatus", user.getString("account_status")));
            });
            String next = page.getJsonObject("links", new JsonObject()).getString("next");
            return next == null || next.isBlank() || data.isEmpty() ? Uni.createFrom().item(collected) : v1Page(config, next, collected);
        });
    }

    private Uni<List<JsonObject>> page(Connections.AtlassianAdmin config, String cursor, List<JsonObject> collected) {
        String url = config.url() + "/admin/v2/orgs/" + config.orgId() + "/directories/" + config.directoryId() + "/users";
        return calls.json(target(config), "Atlassian directory users", () -> {
            var request = web.getAbs(url).bearerTokenAuthentication(config.apiKey())
                    .addQueryParam("claimStatus", "managed")
                    .addQueryParam("limit", String.valueOf(config.pageSize()));
            return cursor == null ? request : request.addQueryParam("cursor", cursor);
        }, null).flatMap(page -> {
            JsonArray data = page.getJsonArray("data", new JsonArray());
            data.forEach(user -> collected.add((JsonObject) user));
            String next = page.getJsonObject("links", new JsonObject()).getString("next");
            return next == null || next.isBlank() || data.isEmpty() ? Uni.createFrom().item(collected) : page(config, next, collected);
        });
    }

    /** email (lower case) -> policy name, for the given accounts. */
    public Uni<Map<String, String>> policyNames(Connections.AtlassianAdmin config, List<String> emails) {
        return policyBatch(config, emails, 0, new HashMap<>());
    }

    private Uni<Map<String, String>> policyBatch(Connections.AtlassianAdmin config, List<String> emails, int from,
                                                Map<String, String> names) {
        if (from >= emails.size()) {
            return Uni.createFrom().item(names);
        }
        List<String> batch = emails.subList(from, Math.min(from + config.policyBatchSize(), emails.size()));
        String url = config.url() + "/admin/control/v1/orgs/" + config.orgId() + "/users/auth-policies/bulk-fetch";
        Buffer body = Buffer.buffer(new JsonObject().put("users", new JsonArray(batch)).encode());
        return calls.json(target(config), "Atlassian policy bulk fetch", () -> web.postAbs(url).bearerTokenAuthentication(config.apiKey())
                        .putHeader("Content-Type", "application/json"), body)
                .flatMap(result -> {
                    result.getJsonArray("data", new JsonArray()).forEach(entry -> {
                        JsonObject row = (JsonObject) entry;
                        if (row.getString("email") != null && row.getString("policyName") != null) {
                            names.put(row.getString("email").toLowerCase(Locale.ROOT), row.getString("policyName"));
                        }
                    });
                    return policyBatch(config, emails, from + batch.size(), names);
                });
    }

    /**
     * The Atlassian accounts that a SCIM user with this email is linked to
     * ({@code POST /admin/user-provisioning/v1/org/{orgId}/get-scim-links-for-email}).
     */
    public Uni<List<String>> scimLinkedAccounts(Connections.AtlassianAdmin config, String email) {
        String url = config.url() + "/admin/user-provisioning/v1/org/" + config.orgId() + "/get-scim-links-for-email";
        Buffer body = Buffer.buffer(new JsonObject().put("email", email).encode());
        return calls.json(target(config), "SCIM links for " + email, () -> web.postAbs(url)
                        .bearerTokenAuthentication(config.apiKey()).putHeader("Content-Type", "application/json"), body)
                .map(result -> result.getJsonArray("scimLinks", new JsonArray()).stream()
                        .map(link -> ((JsonObject) link).getString("atlassianAccountId"))
                        .filter(java.util.Objects::nonNull).toList());
    }

    private static ApiTarget target(Connections.AtlassianAdmin config) {
        return new ApiTarget("atlassian-admin", config.orgId(), config.rateLimit());
    }

    @PreDestroy
    void close() {
        web.close();
    }
}
