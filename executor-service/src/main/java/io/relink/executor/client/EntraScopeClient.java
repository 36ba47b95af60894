package io.relink.executor.client;

import io.relink.support.client.ApiCalls;
import io.relink.support.client.ApiException;
import io.relink.support.client.ApiTarget;
import io.relink.support.client.ClientsConfig;
import io.relink.support.client.GraphTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * Puts Entra users into (and out of) the Atlassian enterprise app's provisioning scope through Microsoft Graph:
 * membership of the assigned group, or a direct app-role assignment.
 */
@ApplicationScoped
public class EntraScopeClient {

    /** Graph accepts at most 20 members per {@code members@odata.bind} PATCH. */
    public static final int MAX_BIND = 20;
    private static final String ALREADY_EXISTS = "already exist";

    private final ClientsConfig.Graph config;
    private final ApiCalls calls;
    private final GraphTokens tokens;
    private final WebClient web;

    public EntraScopeClient(ClientsConfig clients, ApiCalls calls, GraphTokens tokens, Vertx vertx) {
        this.config = clients.graph();
        this.calls = calls;
        this.tokens = tokens;
        this.web = WebClient.create(vertx);
    }

    public enum Added { ADDED, ALREADY_MEMBER }

    /** Adds up to 20 users in one PATCH. Graph fails the whole request if any of them is already a member. */
    public Uni<Void> addMembers(String groupId, List<String> userIds) {
        JsonArray binds = new JsonArray();
        userIds.forEach(id -> binds.add(config.url() + "/directoryObjects/" + id));
        Buffer body = Buffer.buffer(new JsonObject().put("members@odata.bind", binds).encode());
        return send("Graph add " + userIds.size() + " members to group " + groupId,
                token -> json(web.patchAbs(config.url() + "/groups/" + groupId), token), body).replaceWithVoid();
    }

    /** Adds one user; "already a member" is a success, reported as such. */
    public Uni<Added> addMember(String groupId, String userId) {
        Buffer body = Buffer.buffer(new JsonObject().put("@odata.id", config.url() + "/directoryObjects/" + userId).encode());
        return send("Graph add member " + userId + " to group " + groupId,
                        token -> json(web.postAbs(config.url() + "/groups/" + groupId + "/members/$ref"), token), body)
                .map(ignored -> Added.ADDED)
                .onFailure(EntraScopeClient::alreadyExists).recoverWithItem(Added.ALREADY_MEMBER);
    }

    /** Removes one user; a user that is not a member counts as removed. */
    public Uni<Void> removeMember(String groupId, String userId) {
        return send("Graph remove member " + userId + " from group " + groupId,
                        token -> web.deleteAbs(config.url() + "/groups/" + groupId + "/members/" + userId + "/$ref")
                                .bearerTokenAuthentication(token), null)
                .replaceWithVoid()
                .onFailure(e -> e instanceof ApiException api && api.status() == 404).recoverWithNull();
    }

    /** Whether the user is a member of the group (documented {@code checkMemberGroups}); used after a crash instead of adding again. */
    public Uni<Boolean> isMember(String groupId, String userId) {
        Buffer body = Buffer.buffer(new JsonObject().put("groupIds", new JsonArray().add(groupId)).encode());
        return send("Graph checkMemberGroups " + userId,
                        token -> json(web.postAbs(config.url() + "/users/" + userId + "/checkMemberGroups"), token), body)
                .map(HttpResponse::bodyAsJsonObject)
                .map(result -> result.getJsonArray("value", new JsonArray()).contains(groupId));
    }

    /** Assigns the app role; returns the assignment id, or null when the user already had it. */
    public Uni<String> assignAppRole(String servicePrincipalId, String appRoleId, String userId) {
        Buffer body = Buffer.buffer(new JsonObject().put("principalId", userId).put("resourceId", servicePrincipalId)
                .put("appRoleId", appRoleId).encode());
        return send("Graph assign app role to " + userId, token -> json(web.postAbs(config.url() + "/servicePrincipals/"
                        + servicePrincipalId + "/appRoleAssignedTo"), token), body)
                .map(HttpResponse::bodyAsJsonObject)
                .map(assignment -> assignment.getString("id"))
                .onFailure(e -> e instanceof ApiException api && api.status() == 400
                        && api.getMessage().contains("already exists")).recoverWithNull();
    }

    public Uni<Void> removeAppRoleAssignment(String servicePrincipalId, String assignmentId) {
        return send("Graph remove app role assignment " + assignmentId,
                        token -> web.deleteAbs(config.url() + "/servicePrincipals/" + servicePrincipalId
                                + "/appRoleAssignedTo/" + assignmentId).bearerTokenAuthentication(token), null)
                .replaceWithVoid()
                .onFailure(e -> e instanceof ApiException api && api.status() == 404).recoverWithNull();
    }

    /** Graph answers 400 "One or more added object references already exist" for an existing member. */
    public static boolean alreadyExists(Throwable failure) {
        return failure instanceof ApiException api && api.status() == 400 && api.getMessage().contains(ALREADY_EXISTS);
    }

    private static HttpRequest<Buffer> json(HttpRequest<Buffer> request, String token) {
        return request.bearerTokenAuthentication(token).putHeader("Content-Type", "application/json");
    }

    /** One Graph call with a current token (static, or from the client-credentials grant). */
    private Uni<HttpResponse<Buffer>> send(String what, Function<String, HttpRequest<Buffer>> request, Buffer body) {
        GraphTokens.Credentials credentials = GraphTokens.Credentials.of(config);
        return tokens.token(credentials).flatMap(token -> calls.send(target(), what, () -> request.apply(token), body));
    }

    private ApiTarget target() {
        return new ApiTarget("graph", config.tenantId(), config.rateLimit());
    }


    @PreDestroy
    void close() {
        web.close();
    }
}
