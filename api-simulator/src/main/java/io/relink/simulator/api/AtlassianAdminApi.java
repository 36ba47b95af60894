package io.relink.simulator.api;

import io.relink.simulator.Api;
import io.relink.simulator.ApiError;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.Endpoints;
import io.relink.simulator.model.AtlassianAccount;
import io.relink.simulator.model.AuthPolicy;
import io.relink.simulator.model.PolicyTask;
import io.relink.simulator.model.ScimUser;
import io.relink.simulator.model.SimulatedOrg;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Atlassian organization API (v1 managed accounts, v2 directory users), Control API authentication
 * policies (asynchronous add-users tasks) and the user-provisioning SCIM-link look-ups.
 */
public final class AtlassianAdminApi {

    private static final String BAD = "ADMIN-UAM-400-1";
    private static final String NOT_FOUND = "ADMIN-UAM-404-1";

    private final ApiSimulator sim;

    public AtlassianAdminApi(ApiSimulator sim) {
        this.sim = sim;
    }

    public void register(Endpoints endpoints) {
        Api api = Api.ATLASSIAN_ADMIN;
        endpoints.register(HttpMethod.GET, "/admin/v1/orgs/:orgId/users", api, "atlassian.v1.users", this::v1Users);
        endpoints.register(HttpMethod.GET, "/admin/v2/orgs/:orgId/directories/:directoryId/users", api,
                "atlassian.v2.users", this::v2Users);
        endpoints.register(HttpMethod.GET, "/admin/v1/orgs/:orgId/policies", api, "atlassian.policies", this::policies);
        endpoints.register(HttpMethod.POST, "/admin/control/v1/orgs/:orgId/auth-policy/:policyId/add-users", api,
                "control.addUsers", this::addUsers);
        endpoints.register(HttpMethod.GET, "/admin/control/v1/orgs/:orgId/auth-policy/task/:taskId", api,
                "control.task", this::task);
        endpoints.register(HttpMethod.POST, "/admin/control/v1/orgs/:orgId/users/auth-policies/bulk-fetch", api,
                "control.bulkFetchPolicies", this::bulkFetchPolicies);
        endpoints.register(HttpMethod.POST, "/admin/user-provisioning/v1/org/:orgId/get-scim-links-for-email", api,
                "provisioning.scimLinksForEmail", this::scimLinksForEmail);
        endpoints.register(HttpMethod.GET, "/admin/user-provisioning/v1/org/:orgId/user/:accountId/get-scim-links", api,
                "provisioning.scimLinksForAccount", this::scimLinksForAccount);
    }

    private SimulatedOrg org(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        if (!org.orgId.equals(ctx.pathParam("orgId"))) {
            throw new ApiError(404, "ADMIN-UAM-404-2", "Organization not found");
        }
        return org;
    }

    /** v1: snake_case fields, links.next is a full URL, meta.total. */
    private void v1Users(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        List<AtlassianAccount> all = new ArrayList<>(org.accounts.values());
        String cursor = ctx.request().getParam("cursor");
        int offset = cursor == null ? 0 : Pages.decodeCursor(cursor, 400, BAD).getInteger("o", 0);
        int size = sim.config().v1PageSize();
        JsonArray data = new JsonArray();
        for (AtlassianAccount account : all.subList(Math.min(offset, all.size()), Math.min(offset + size, all.size()))) {
            data.add(new JsonObject()
                    .put("account_id", account.accountId)
                    .put("account_type", "atlassian")
                    .put("account_status", account.accountStatus)
                    .put("name", account.name)
                    .put("picture", "https://avatar-management.services.atlassian.com/default/48")
                    .put("email", account.email)
                    .put("access_billable", account.billable)
                    .put("last_active", account.lastActive == null ? null : account.lastActive.toString())
                    .put("product_access", new JsonArray().add(new JsonObject().put("key", "jira-software")
                            .put("name", "Jira").put("url", "acme.atlassian.net")))
                    .put("links", new JsonObject().put("self", Pages.baseUrl(ctx) + "/users/" + account.accountId + "/manage/profile")));
        }
        String self = Pages.baseUrl(ctx) + "/admin/v1/orgs/" + org.orgId + "/users";
        JsonObject links = new JsonObject().put("self", self);
        if (offset + size < all.size()) {
            links.put("next", self + "?cursor=" + Pages.cursor(new JsonObject().put("o", offset + size)));
        }
        Endpoints.json(ctx, 200, new JsonObject().put("data", data).put("links", links)
                .put("meta", new JsonObject().put("total", all.size())));
    }

    /** v2: camelCase fields, cursor tokens in links, filters. */
    private void v2Users(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        String directoryId = ctx.pathParam("directoryId");
        if (!directoryId.equals("-") && !directoryId.equals(org.directoryId)) {
            throw new ApiError(404, NOT_FOUND, "Directory not found");
        }
        int limit = Pages.intParam(ctx, "limit", sim.config().v2MaxLimit(), 1, sim.config().v2MaxLimit(), BAD);
        Predicate<AtlassianAccount> filter = v2Filter(ctx);
        List<AtlassianAccount> matching = org.accounts.values().stream().filter(filter).toList();
        String cursor = ctx.request().getParam("cursor");
        int offset = cursor == null ? 0 : Pages.decodeCursor(cursor, 400, "ADMIN-UAM-400-1").getInteger("o", 0);
        JsonArray data = new JsonArray();
        for (AtlassianAccount a : matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()))) {
            data.add(new JsonObject()
                    .put("accountId", a.accountId)
                    .put("accountType", "atlassian")
                    .put("status", "active".equals(a.accountStatus) ? "active" : "suspended")
                    .put("accountStatus", a.accountStatus)
                    .put("membershipStatus", a.membershipStatus)
                    .put("addedToOrg", a.addedToOrg == null ? null : a.addedToOrg.toString())
                    .put("name", a.name)
                    .put("email", a.email)
                    .put("emailVerified", true)
                    .put("claimStatus", a.claimStatus)
                    .put("managementSource", a.managementSource)
                    .put("mfaEnabled", false)
                    .put("deactivatedOn", "active".equals(a.accountStatus) ? null : a.addedToOrg.toString())
                    .put("forDeletion", false));
        }
        JsonObject links = new JsonObject().put("self", Pages.cursor(new JsonObject().put("o", offset)));
        links.put("prev", offset == 0 ? null : Pages.cursor(new JsonObject().put("o", Math.max(0, offset - limit))));
        links.put("next", offset + limit < matching.size() ? Pages.cursor(new JsonObject().put("o", offset + limit)) : null);
        Endpoints.json(ctx, 200, new JsonObject().put("data", data).put("links", links));
    }

    private static Predicate<AtlassianAccount> v2Filter(RoutingContext ctx) {
        Predicate<AtlassianAccount> filter = a -> true;
        filter = filter.and(oneOf(ctx, "claimStatus", Set.of("managed", "unmanaged"), a -> a.claimStatus));
        filter = filter.and(oneOf(ctx, "accountStatus", Set.of("active", "inactive", "closed"), a -> a.accountStatus));
        filter = filter.and(oneOf(ctx, "membershipStatus", Set.of("active", "suspended", "pending"), a -> a.membershipStatus));
        filter = filter.and(oneOf(ctx, "managementSource", Set.of("invited", "synced"), a -> a.managementSource));
        List<String> ids = ctx.queryParam("accountIds");
        if (!ids.isEmpty()) {
            Set<String> wanted = Set.copyOf(ids.stream().flatMap(v -> List.of(v.split(",")).stream()).toList());
            filter = filter.and(a -> wanted.contains(a.accountId));
        }
        List<String> domains = ctx.queryParam("emailDomains");
        if (!domains.isEmpty()) {
            Set<String> wanted = Set.copyOf(domains.stream().flatMap(v -> List.of(v.split(",")).stream())
                    .map(d -> d.toLowerCase(Locale.ROOT)).toList());
            filter = filter.and(a -> a.email != null && wanted.contains(a.email.substring(a.email.indexOf('@') + 1).toLowerCase(Locale.ROOT)));
        }
        String search = ctx.request().getParam("searchTerm");
        if (search != null && !search.isBlank()) {
            String term = search.toLowerCase(Locale.ROOT);
            filter = filter.and(a -> (a.name != null && a.name.toLowerCase(Locale.ROOT).contains(term))
                    || (a.email != null && a.email.toLowerCase(Locale.ROOT).contains(term)));
        }
        return filter;
    }

    private static Predicate<AtlassianAccount> oneOf(RoutingContext ctx, String param, Set<String> allowed,
                                                     java.util.function.Function<AtlassianAccount, String> field) {
        List<String> values = ctx.queryParam(param).stream().flatMap(v -> List.of(v.split(",")).stream()).toList();
        if (values.isEmpty()) {
            return a -> true;
        }
        for (String value : values) {
            if (!allowed.contains(value)) {
                throw new ApiError(400, BAD, "Invalid value '" + value + "' for " + param + "; expected one of " + allowed);
            }
        }
        return a -> values.contains(field.apply(a));
    }

    private void policies(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        JsonArray data = new JsonArray();
        org.policies.values().forEach(p -> data.add(new JsonObject().put("id", p.id()).put("type", "policy")
                .put("attributes", new JsonObject().put("type", "authentication-policy").put("name", p.name())
                        .put("status", "enabled").put("sso", p.sso()))));
        Endpoints.json(ctx, 200, new JsonObject().put("data", data).put("links", new JsonObject().putNull("next")));
    }

    private void addUsers(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        AuthPolicy policy = org.policy(ctx.pathParam("policyId"));
        if (policy == null) {
            throw new ApiError(404, NOT_FOUND, "Policy not found");
        }
        JsonObject body = Pages.body(ctx, BAD);
        Object users = body.getValue("users");
        if (!(users instanceof JsonArray array) || array.isEmpty()) {
            throw new ApiError(400, BAD, "users must be a non-empty array of email addresses");
        }
        if (array.size() > sim.config().addUsersMaxBatch()) {
            throw new ApiError(400, BAD, "At most " + sim.config().addUsersMaxBatch() + " users per request");
        }
        List<String> emails = new ArrayList<>();
        for (Object user : array) {
            if (!(user instanceof String email) || email.isBlank()) {
                throw new ApiError(400, BAD, "users must contain email addresses only");
            }
            emails.add(email);
            sim.counters().mutation("control.addUsers", email.toLowerCase(Locale.ROOT));
        }
        PolicyTask task = new PolicyTask(UUID.randomUUID().toString(), policy.id(), emails);
        org.tasks.put(task.id, task);
        sim.vertx().setTimer(Math.max(1, sim.config().policyTaskDelay().toMillis()), id -> complete(org, task));
        Endpoints.json(ctx, 202, new JsonObject().put("taskId", task.id)
                .put("taskLink", Pages.baseUrl(ctx) + "/admin/control/v1/orgs/" + org.orgId + "/auth-policy/task/" + task.id));
    }

    /** Applies the task: every user is moved or gets its own failure reason. */
    private static void complete(SimulatedOrg org, PolicyTask task) {
        for (String email : task.users) {
            AtlassianAccount account = org.accountByEmail(email).orElse(null);
            if (account == null) {
                task.failures.add(new PolicyTask.Failure(email, "User not found in the organization"));
            } else if (!"managed".equals(account.claimStatus)) {
                task.failures.add(new PolicyTask.Failure(email, "Not a managed account: verify the domain first"));
            } else if (!"active".equals(account.accountStatus)) {
                task.failures.add(new PolicyTask.Failure(email, "Account is deactivated"));
            } else {
                account.policyId = task.policyId;
                task.successCount++;
            }
        }
        task.done = true;
    }

    /** Counts and per-user failure reasons (the element shape of failureReasons is unconfirmed). */
    private void task(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        PolicyTask task = org.tasks.get(ctx.pathParam("taskId"));
        if (task == null) {
            throw new ApiError(404, NOT_FOUND, "Task not found");
        }
        JsonArray reasons = new JsonArray();
        task.failures.forEach(f -> reasons.add(new JsonObject().put("email", f.email()).put("reason", f.reason())));
        Endpoints.json(ctx, 200, new JsonObject()
                .put("taskId", task.id)
                .put("inProgressCount", task.done ? 0 : task.users.size())
                .put("successCount", task.successCount)
                .put("failureCount", task.failures.size())
                .put("failureReasons", reasons));
    }

    /** Current policy per user. Atlassian's body and response for this endpoint are unconfirmed. */
    private void bulkFetchPolicies(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        JsonObject body = Pages.body(ctx, BAD);
        if (!(body.getValue("users") instanceof JsonArray users)) {
            throw new ApiError(400, BAD, "users must be an array of email addresses");
        }
        JsonArray data = new JsonArray();
        JsonArray notFound = new JsonArray();
        for (Object user : users) {
            String email = String.valueOf(user);
            org.accountByEmail(email).ifPresentOrElse(account -> {
                AuthPolicy policy = org.policy(account.policyId);
                data.add(new JsonObject().put("email", account.email).put("accountId", account.accountId)
                        .put("policyId", account.policyId).put("policyName", policy == null ? null : policy.name()));
            }, () -> notFound.add(email));
        }
        Endpoints.json(ctx, 200, new JsonObject().put("data", data).put("notFound", notFound));
    }

    private void scimLinksForEmail(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        String email = Pages.body(ctx, BAD).getString("email");
        if (email == null || email.isBlank()) {
            throw new ApiError(400, BAD, "email is required");
        }
        JsonArray links = new JsonArray();
        for (ScimUser user : org.scimUsers.values()) {
            if (user.email != null && user.email.equalsIgnoreCase(email.strip())) {
                links.add(link(org, user));
            }
        }
        Endpoints.json(ctx, 200, new JsonObject().put("scimLinks", links));
    }

    private void scimLinksForAccount(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        String accountId = ctx.pathParam("accountId");
        if (!org.accounts.containsKey(accountId)) {
            throw new ApiError(404, NOT_FOUND, "User not found");
        }
        JsonArray links = new JsonArray();
        org.scimUsers.values().stream().filter(u -> accountId.equals(u.atlassianAccountId))
                .forEach(u -> links.add(link(org, u)));
        Endpoints.json(ctx, 200, new JsonObject().put("scimLinks", links));
    }

    private static JsonObject link(SimulatedOrg org, ScimUser user) {
        return new JsonObject().put("scimUserId", user.id).put("atlassianAccountId", user.atlassianAccountId)
                .put("orgId", org.orgId).put("directoryId", org.scimDirectoryId);
    }
}
