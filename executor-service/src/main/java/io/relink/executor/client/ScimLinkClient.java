package io.relink.executor.client;

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

import java.util.Optional;

/** Reads the Atlassian SCIM directory to see whether Entra provisioning has linked an account. */
@ApplicationScoped
public class ScimLinkClient {


    private final ClientsConfig.AtlassianScim config;
    private final ApiCalls calls;
    private final WebClient web;

    public ScimLinkClient(ClientsConfig clients, ApiCalls calls, Vertx vertx) {
        this.config = clients.atlassianScim();
        this.calls = calls;
        this.web = WebClient.create(vertx);
    }

    /**
     * The SCIM user for an email, if provisioning has created one.
     *
     * @param atlassianAccountId the account it is tied to (null when the directory does not say)
     */
    public record ScimUser(String id, String externalId, String userName, boolean active, String atlassianAccountId) {
    }

    /** {@code GET /Users?filter=userName eq "…"}: the only lookups Atlassian's SCIM API supports besides externalId. */
    public Uni<Optional<ScimUser>> byUserName(String email) {
        String url = config.url() + "/scim/directory/" + directoryId() + "/Users";
        String filter = "userName eq \"" + email.replace("\"", "\\\"") + "\"";
        return calls.json(target(), "SCIM lookup " + email, () -> web.getAbs(url).bearerTokenAuthentication(apiKey())
                        .addQueryParam("filter", filter), null)
                .map(list -> list.getJsonArray("Resources", new JsonArray()).stream()
                        .map(JsonObject.class::cast)
                        .filter(user -> email.equalsIgnoreCase(user.getString("userName")))
                        .findFirst()
                        .map(ScimLinkClient::toUser));
    }

    private static ScimUser toUser(JsonObject user) {
        String accountId = null;
        for (String key : user.fieldNames()) {
            // The extension's URN has changed over time; accept any Atlassian extension that names the account.
            if (key.startsWith("urn:") && key.contains("atlassian") && user.getValue(key) instanceof JsonObject ext) {
                accountId = ext.getString("atlassianAccountId", accountId);
            }
        }
        return new ScimUser(user.getString("id"), user.getString("externalId"), user.getString("userName"),
                user.getBoolean("active", true), accountId);
    }

    private String directoryId() {
        return ClientsConfig.required(config.directoryId(), "RELINK_ATLASSIAN_SCIM_DIRECTORY_ID");
    }

    private String apiKey() {
        return ClientsConfig.required(config.apiKey(), "RELINK_ATLASSIAN_SCIM_API_KEY");
    }


    private ApiTarget target() {
        return new ApiTarget("atlassian-scim", directoryId(), config.rateLimit());
    }

    @PreDestroy
    void close() {
        web.close();
    }
}
