package io.relink.executor.client;

import io.relink.support.client.ApiCalls;
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

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Atlassian Control API: read users' authentication policies, add users to a policy, follow the task. */
@ApplicationScoped
public class AuthPolicyClient {

    private final ClientsConfig.AtlassianAdmin config;
    private final ApiCalls calls;
    private final WebClient web;

    public AuthPolicyClient(ClientsConfig clients, ApiCalls calls, Vertx vertx) {
        this.config = clients.atlassianAdmin();
        this.calls = calls;
        this.web = WebClient.create(vertx);
    }

    public record Policy(String id, String name) {
    }

    /**
     * A policy task's progress. {@code failures} maps each failed user (lower-case email) to its reason;
     * {@code unnamedFailures} counts failures the API did not attribute to anyone.
     */
    public record TaskStatus(int inProgress, int succeeded, int failed, Map<String, String> failures, int unnamedFailures) {
        public boolean done() {
            return inProgress == 0;
        }
    }

    /** Lower-case email -> current policy, for at most {@code policyBatchSize} emails; unknown emails are absent. */
    public Uni<Map<String, Policy>> currentPolicies(List<String> emails) {
        String url = config.url() + "/admin/control/v1/orgs/" + orgId() + "/users/auth-policies/bulk-fetch";
        Buffer body = Buffer.buffer(new JsonObject().put("users", new JsonArray(emails)).encode());
        return calls.json(target(), "Atlassian policy bulk fetch (" + emails.size() + " users)",
                () -> web.postAbs(url).bearerTokenAuthentication(apiKey()).putHeader("Content-Type", "application/json"), body)
                .map(result -> {
                    Map<String, Policy> policies = new HashMap<>();
                    result.getJsonArray("data", new JsonArray()).forEach(entry -> {
                        JsonObject row = (JsonObject) entry;
                        if (row.getString("email") != null && row.getString("policyId") != null) {
                            policies.put(row.getString("email").toLowerCase(Locale.ROOT),
                                    new Policy(row.getString("policyId"), row.getString("policyName")));
                        }
                    });
                    return policies;
                });
    }

    /** {@code add-users}: 202 with a task id; the move itself happens asynchronously. */
    public Uni<String> addUsers(String policyId, List<String> emails) {
        String url = config.url() + "/admin/control/v1/orgs/" + orgId() + "/auth-policy/" + policyId + "/add-users";
        Buffer body = Buffer.buffer(new JsonObject().put("users", new JsonArray(emails)).encode());
        return calls.json(target(), "Atlassian add " + emails.size() + " users to policy " + policyId,
                        () -> web.postAbs(url).bearerTokenAuthentication(apiKey()).putHeader("Content-Type", "application/json"), body)
                .map(accepted -> {
                    String taskId = accepted.getString("taskId");
                    if (taskId == null || taskId.isBlank()) {
                        throw new io.relink.support.client.ApiException("add-users answered without a taskId", 202,
                                "UNEXPECTED_RESPONSE");
                    }
                    return taskId;
                });
    }

    public Uni<TaskStatus> task(String taskId) {
        String url = config.url() + "/admin/control/v1/orgs/" + orgId() + "/auth-policy/task/" + taskId;
        return calls.json(target(), "Atlassian policy task " + taskId,
                () -> web.getAbs(url).bearerTokenAuthentication(apiKey()), null).map(AuthPolicyClient::toStatus);
    }

    /** failureReasons' element shape is not documented: accept objects naming the user, or bare strings. */
    static TaskStatus toStatus(JsonObject task) {
        Map<String, String> failures = new HashMap<>();
        int unnamed = 0;
        for (Object reason : task.getJsonArray("failureReasons", new JsonArray())) {
            if (reason instanceof JsonObject object) {
                String user = object.getString("email", object.getString("user", object.getString("accountId")));
                String why = object.getString("reason", object.getString("message", object.encode()));
                if (user != null) {
                    failures.put(user.toLowerCase(Locale.ROOT), why);
                    continue;
                }
            }
            unnamed++;
        }
        int failed = task.getInteger("failureCount", failures.size() + unnamed);
        return new TaskStatus(task.getInteger("inProgressCount", 0), task.getInteger("successCount", 0), failed,
                failures, Math.max(unnamed, failed - failures.size()));
    }

    private String orgId() {
        return ClientsConfig.required(config.orgId(), "RELINK_ATLASSIAN_ORG_ID");
    }

    private String apiKey() {
        return ClientsConfig.required(config.apiKey(), "RELINK_ATLASSIAN_API_KEY");
    }

    private ApiTarget target() {
        return new ApiTarget("atlassian-admin", orgId(), config.rateLimit());
    }

    @PreDestroy
    void close() {
        web.close();
    }
}
