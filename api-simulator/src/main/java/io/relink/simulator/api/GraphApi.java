package io.relink.simulator.api;

import io.relink.simulator.Api;
import io.relink.simulator.ApiError;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.Endpoints;
import io.relink.simulator.model.EntraUser;
import io.relink.simulator.model.SimulatedOrg;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Microsoft Graph v1.0: users (with $select and $top paging), users/delta, group membership and app-role
 * assignments. Membership and assignment changes feed the simulated provisioning service.
 */
public final class GraphApi {

    private static final String BAD = "Request_BadRequest";
    private static final String NOT_FOUND = "Request_ResourceNotFound";
    private static final String GRAPH = "https://graph.microsoft.com/v1.0";
    static final List<String> DEFAULT_SELECT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");
    static final Set<String> PROPERTIES = Set.of("id", "userPrincipalName", "mail", "otherMails", "proxyAddresses",
            "displayName", "givenName", "surname", "accountEnabled", "userType", "employeeId", "onPremisesImmutableId",
            "jobTitle", "businessPhones", "mobilePhone", "officeLocation", "preferredLanguage");
    private static final int MAX_BIND = 20;

    private final ApiSimulator sim;

    public GraphApi(ApiSimulator sim) {
        this.sim = sim;
    }

    public void register(Endpoints endpoints) {
        Api api = Api.GRAPH;
        endpoints.register(HttpMethod.GET, "/v1.0/users", api, "graph.listUsers", this::users);
        endpoints.register(HttpMethod.GET, "/v1.0/users/delta", api, "graph.usersDelta", this::delta);
        endpoints.register(HttpMethod.GET, "/v1.0/users/:id", api, "graph.getUser", this::user);
        endpoints.register(HttpMethod.GET, "/v1.0/groups/:groupId/members", api, "graph.listGroupMembers", this::members);
        endpoints.register(HttpMethod.POST, "/v1.0/users/:id/checkMemberGroups", api, "graph.checkMemberGroups",
                this::checkMemberGroups);
        // "$ref" is routed as a (decoded) path parameter: clients send it literally or as %24ref.
        endpoints.register(HttpMethod.POST, "/v1.0/groups/:groupId/members/:ref", api, "graph.addGroupMember", this::addMember);
        endpoints.register(HttpMethod.PATCH, "/v1.0/groups/:groupId", api, "graph.bindGroupMembers", this::bindMembers);
        endpoints.register(HttpMethod.DELETE, "/v1.0/groups/:groupId/members/:memberId/:ref", api, "graph.removeGroupMember",
                this::removeMember);
        endpoints.register(HttpMethod.GET, "/v1.0/servicePrincipals/:spId/appRoleAssignedTo", api, "graph.listAppRoleAssignments",
                this::assignments);
        endpoints.register(HttpMethod.POST, "/v1.0/servicePrincipals/:spId/appRoleAssignedTo", api, "graph.assignAppRole",
                this::assign);
        endpoints.register(HttpMethod.DELETE, "/v1.0/servicePrincipals/:spId/appRoleAssignedTo/:assignmentId", api,
                "graph.removeAppRoleAssignment", this::unassign);
    }

    // ---- users -----------------------------------------------------------------------------------------------

    private void users(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        String skipToken = ctx.request().getParam("$skiptoken");
        JsonObject state = skipToken == null ? null : Pages.decodeCursor(skipToken, 400, BAD);
        List<String> select = state == null ? select(ctx) : state.getJsonArray("s").getList();
        int top = state == null ? Pages.intParam(ctx, "$top", sim.config().graphDefaultPageSize(), 1, sim.config().graphMaxTop(), BAD)
                : state.getInteger("n");
        int offset = state == null ? 0 : state.getInteger("o");
        List<EntraUser> all = new ArrayList<>(org.entraUsers.values());
        JsonArray value = new JsonArray();
        all.subList(Math.min(offset, all.size()), Math.min(offset + top, all.size())).forEach(u -> value.add(render(u, select)));
        JsonObject body = new JsonObject().put("@odata.context", GRAPH + "/$metadata#users(" + String.join(",", select) + ")")
                .put("value", value);
        if (offset + top < all.size()) {
            String token = Pages.cursor(new JsonObject().put("o", offset + top).put("n", top).put("s", new JsonArray(select)));
            body.put("@odata.nextLink", Pages.baseUrl(ctx) + "/v1.0/users?$select=" + encode(String.join(",", select))
                    + "&$top=" + top + "&$skiptoken=" + token);
        }
        Endpoints.json(ctx, 200, body);
    }

    private void user(RoutingContext ctx) {
        EntraUser user = sim.org().entraUsers.get(ctx.pathParam("id"));
        if (user == null) {
            user = sim.org().entraUsers.values().stream()
                    .filter(u -> u.userPrincipalName.equalsIgnoreCase(ctx.pathParam("id"))).findFirst().orElse(null);
        }
        if (user == null) {
            throw new ApiError(404, NOT_FOUND, "Resource '" + ctx.pathParam("id") + "' does not exist or one of its queried reference-property objects are not present.");
        }
        Endpoints.json(ctx, 200, render(user, select(ctx)));
    }

    /**
     * users/delta: the first round pages through every user and ends with a deltaLink; a deltaLink returns
     * the users changed since it was issued ({@code @removed} for deleted ones). An expired token answers
     * 410 syncStateNotFound: the client must start a full resync.
     */
    private void delta(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        String skipToken = ctx.request().getParam("$skiptoken");
        String deltaToken = ctx.request().getParam("$deltatoken");
        int pageSize = pageSize(ctx);
        JsonObject state;
        if (skipToken != null) {
            state = Pages.decodeCursor(skipToken, 400, BAD);
        } else if (deltaToken != null) {
            JsonObject token = Pages.decodeCursor(deltaToken, 400, BAD);
            Instant issued = Instant.ofEpochMilli(token.getLong("t"));
            if (issued.plus(sim.config().deltaTokenLifetime()).isBefore(Instant.now())
                    || issued.isBefore(sim.deltaTokensValidFrom())) {
                throw new ApiError(410, "syncStateNotFound", "The sync state is no longer valid; start a full synchronization");
            }
            state = new JsonObject().put("phase", "changes").put("since", token.getLong("p"))
                    .put("upTo", org.deltaPosition()).put("o", 0).put("s", token.getJsonArray("s"));
        } else {
            state = new JsonObject().put("phase", "initial").put("upTo", org.deltaPosition()).put("o", 0)
                    .put("s", new JsonArray(select(ctx)));
        }
        List<String> select = state.getJsonArray("s").getList();
        int offset = state.getInteger("o");
        long upTo = state.getLong("upTo");
        List<JsonObject> entries = new ArrayList<>();
        if ("initial".equals(state.getString("phase"))) {
            org.entraUsers.values().forEach(u -> entries.add(render(u, select)));
        } else {
            long since = state.getLong("since");
            for (var change : org.changesSince(since)) {
                if (change.sequence() > upTo) {
                    continue;
                }
                EntraUser user = org.entraUsers.get(change.userId());
                entries.add(user == null || change.removed()
                        ? new JsonObject().put("@odata.type", "#microsoft.graph.user").put("id", change.userId())
                                .put("@removed", new JsonObject().put("reason", "changed"))
                        : render(user, select));
            }
        }
        JsonArray value = new JsonArray();
        entries.subList(Math.min(offset, entries.size()), Math.min(offset + pageSize, entries.size())).forEach(value::add);
        JsonObject body = new JsonObject().put("@odata.context", GRAPH + "/$metadata#users(" + String.join(",", select) + ")/delta")
                .put("value", value);
        String base = Pages.baseUrl(ctx) + "/v1.0/users/delta?";
        if (offset + pageSize < entries.size()) {
            body.put("@odata.nextLink", base + "$skiptoken=" + Pages.cursor(state.copy().put("o", offset + pageSize)));
        } else {
            body.put("@odata.deltaLink", base + "$deltatoken=" + Pages.cursor(new JsonObject().put("p", upTo)
                    .put("t", Instant.now().toEpochMilli()).put("s", new JsonArray(select))));
        }
        Endpoints.json(ctx, 200, body);
    }

    /** Honours {@code Prefer: odata.maxpagesize=N} as Graph does for delta. */
    private int pageSize(RoutingContext ctx) {
        String prefer = ctx.request().getHeader("Prefer");
        if (prefer != null && prefer.contains("odata.maxpagesize=")) {
            try {
                int size = Integer.parseInt(prefer.substring(prefer.indexOf("odata.maxpagesize=") + 18).split("[,;\\s]")[0]);
                return Math.max(1, Math.min(size, sim.config().graphMaxTop()));
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return sim.config().graphDefaultPageSize();
    }

    private static List<String> select(RoutingContext ctx) {
        String select = ctx.request().getParam("$select");
        if (select == null || select.isBlank()) {
            return DEFAULT_SELECT;
        }
        Set<String> fields = new LinkedHashSet<>();
        for (String field : select.split(",")) {
            String name = field.strip();
            if (!PROPERTIES.contains(name)) {
                throw new ApiError(400, BAD, "Could not find a property named '" + name + "' on type 'microsoft.graph.user'.");
            }
            fields.add(name);
        }
        fields.add("id");
        return List.copyOf(fields);
    }

    static JsonObject render(EntraUser u, List<String> select) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("id", u.id);
        all.put("userPrincipalName", u.userPrincipalName);
        all.put("mail", u.mail);
        all.put("otherMails", new JsonArray(u.otherMails));
        all.put("proxyAddresses", new JsonArray(u.proxyAddresses));
        all.put("displayName", u.displayName);
        all.put("givenName", u.givenName);
        all.put("surname", u.surname);
        all.put("accountEnabled", u.accountEnabled);
        all.put("userType", u.userType);
        all.put("employeeId", u.employeeId);
        all.put("onPremisesImmutableId", u.onPremisesImmutableId);
        all.put("jobTitle", u.jobTitle);
        all.put("businessPhones", new JsonArray());
        all.put("mobilePhone", null);
        all.put("officeLocation", null);
        all.put("preferredLanguage", null);
        JsonObject json = new JsonObject();
        select.forEach(field -> json.put(field, all.get(field)));
        return json;
    }

    // ---- groups ----------------------------------------------------------------------------------------------

    private Set<String> group(SimulatedOrg org, RoutingContext ctx) {
        Set<String> members = org.groupMembers.get(ctx.pathParam("groupId"));
        if (members == null) {
            throw new ApiError(404, NOT_FOUND, "Resource '" + ctx.pathParam("groupId") + "' does not exist or one of its queried reference-property objects are not present.");
        }
        return members;
    }

    private void members(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        JsonArray value = new JsonArray();
        group(org, ctx).forEach(id -> {
            EntraUser user = org.entraUsers.get(id);
            if (user != null) {
                value.add(render(user, List.of("id", "userPrincipalName", "mail", "displayName"))
                        .put("@odata.type", "#microsoft.graph.user"));
            }
        });
        Endpoints.json(ctx, 200, new JsonObject().put("@odata.context", GRAPH + "/$metadata#directoryObjects").put("value", value));
    }

    /** Documented: POST /users/{id}/checkMemberGroups {groupIds: [..]} answers the subset the user is a member of (max 20). */
    private void checkMemberGroups(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        String userId = ctx.pathParam("id");
        requireUser(org, userId);
        JsonArray groupIds = Pages.body(ctx, BAD).getJsonArray("groupIds");
        if (groupIds == null || groupIds.isEmpty() || groupIds.size() > 20) {
            throw new ApiError(400, BAD, "groupIds must list between 1 and 20 group ids");
        }
        JsonArray value = new JsonArray();
        groupIds.forEach(id -> {
            Set<String> members = org.groupMembers.get(String.valueOf(id));
            if (members != null && members.contains(userId)) {
                value.add(id);
            }
        });
        Endpoints.json(ctx, 200, new JsonObject().put("@odata.context", GRAPH + "/$metadata#Collection(Edm.String)")
                .put("value", value));
    }

    private void addMember(RoutingContext ctx) {
        requireRef(ctx);
        SimulatedOrg org = sim.org();
        Set<String> members = group(org, ctx);
        String userId = objectId(Pages.body(ctx, BAD).getString("@odata.id"));
        sim.counters().mutation("graph.addGroupMember", userId);
        requireUser(org, userId);
        if (members.contains(userId)) {
            throw new ApiError(400, BAD, "One or more added object references already exist for the following modified properties: 'members'.");
        }
        boolean wasInScope = org.inProvisioningScope(userId);
        members.add(userId);
        sim.provisioning().scopeChanged(org, userId, wasInScope);
        ctx.response().setStatusCode(204).end();
    }

    /** PATCH /groups/{id} with members@odata.bind: up to 20 members at once; any existing member fails the whole request. */
    private void bindMembers(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        Set<String> members = group(org, ctx);
        JsonArray binds = Pages.body(ctx, BAD).getJsonArray("members@odata.bind");
        if (binds == null || binds.isEmpty()) {
            throw new ApiError(400, BAD, "members@odata.bind must be a non-empty array");
        }
        if (binds.size() > MAX_BIND) {
            throw new ApiError(400, BAD, "A maximum of " + MAX_BIND + " members can be added in a single request.");
        }
        List<String> ids = new ArrayList<>();
        for (Object bind : binds) {
            String userId = objectId(String.valueOf(bind));
            sim.counters().mutation("graph.addGroupMember", userId);
            requireUser(org, userId);
            if (members.contains(userId) || ids.contains(userId)) {
                throw new ApiError(400, BAD, "One or more added object references already exist for the following modified properties: 'members'.");
            }
            ids.add(userId);
        }
        for (String userId : ids) {
            boolean wasInScope = org.inProvisioningScope(userId);
            members.add(userId);
            sim.provisioning().scopeChanged(org, userId, wasInScope);
        }
        ctx.response().setStatusCode(204).end();
    }

    private void removeMember(RoutingContext ctx) {
        requireRef(ctx);
        SimulatedOrg org = sim.org();
        Set<String> members = group(org, ctx);
        String userId = ctx.pathParam("memberId");
        sim.counters().mutation("graph.removeGroupMember", userId);
        if (!members.contains(userId)) {
            throw new ApiError(404, NOT_FOUND, "Resource '" + userId + "' does not exist or one of its queried reference-property objects are not present.");
        }
        boolean wasInScope = org.inProvisioningScope(userId);
        members.remove(userId);
        sim.provisioning().scopeChanged(org, userId, wasInScope);
        ctx.response().setStatusCode(204).end();
    }

    // ---- app roles -------------------------------------------------------------------------------------------

    private Map<String, SimulatedOrg.AppRoleAssignment> servicePrincipal(SimulatedOrg org, RoutingContext ctx) {
        Map<String, SimulatedOrg.AppRoleAssignment> assignments = org.appRoleAssignments.get(ctx.pathParam("spId"));
        if (assignments == null) {
            throw new ApiError(404, NOT_FOUND, "Resource '" + ctx.pathParam("spId") + "' does not exist or one of its queried reference-property objects are not present.");
        }
        return assignments;
    }

    private void assignments(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        JsonArray value = new JsonArray();
        servicePrincipal(org, ctx).values().forEach(a -> value.add(render(org, a)));
        Endpoints.json(ctx, 200, new JsonObject().put("value", value));
    }

    private void assign(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        Map<String, SimulatedOrg.AppRoleAssignment> assignments = servicePrincipal(org, ctx);
        JsonObject body = Pages.body(ctx, BAD);
        String principalId = body.getString("principalId");
        String resourceId = body.getString("resourceId");
        String appRoleId = body.getString("appRoleId");
        sim.counters().mutation("graph.assignAppRole", String.valueOf(principalId));
        if (principalId == null || resourceId == null || appRoleId == null) {
            throw new ApiError(400, BAD, "principalId, resourceId and appRoleId are required");
        }
        if (!resourceId.equals(ctx.pathParam("spId"))) {
            throw new ApiError(400, BAD, "resourceId must be the service principal in the request URL");
        }
        requireUser(org, principalId);
        if (assignments.values().stream().anyMatch(a -> a.principalId().equals(principalId) && a.appRoleId().equals(appRoleId))) {
            throw new ApiError(400, "Request_BadRequest", "Permission being assigned already exists on the object");
        }
        boolean wasInScope = org.inProvisioningScope(principalId);
        var assignment = new SimulatedOrg.AppRoleAssignment(UUID.randomUUID().toString(), principalId, resourceId, appRoleId, Instant.now());
        assignments.put(assignment.id(), assignment);
        sim.provisioning().scopeChanged(org, principalId, wasInScope);
        Endpoints.json(ctx, 201, render(org, assignment));
    }

    private void unassign(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        Map<String, SimulatedOrg.AppRoleAssignment> assignments = servicePrincipal(org, ctx);
        var assignment = assignments.get(ctx.pathParam("assignmentId"));
        sim.counters().mutation("graph.removeAppRoleAssignment", assignment == null ? ctx.pathParam("assignmentId") : assignment.principalId());
        if (assignment == null) {
            throw new ApiError(404, NOT_FOUND, "Resource '" + ctx.pathParam("assignmentId") + "' does not exist or one of its queried reference-property objects are not present.");
        }
        boolean wasInScope = org.inProvisioningScope(assignment.principalId());
        assignments.remove(assignment.id());
        sim.provisioning().scopeChanged(org, assignment.principalId(), wasInScope);
        ctx.response().setStatusCode(204).end();
    }

    private static JsonObject render(SimulatedOrg org, SimulatedOrg.AppRoleAssignment a) {
        EntraUser user = org.entraUsers.get(a.principalId());
        return new JsonObject().put("id", a.id()).put("appRoleId", a.appRoleId())
                .put("createdDateTime", a.created().toString()).put("principalDisplayName", user == null ? null : user.displayName)
                .put("principalId", a.principalId()).put("principalType", "User").put("resourceId", a.resourceId())
                .put("resourceDisplayName", "Atlassian Cloud");
    }

    private static void requireRef(RoutingContext ctx) {
        if (!"$ref".equals(ctx.pathParam("ref"))) {
            throw new ApiError(400, BAD, "Unsupported segment '" + ctx.pathParam("ref") + "'; expected $ref");
        }
    }

    private static void requireUser(SimulatedOrg org, String userId) {
        if (!org.entraUsers.containsKey(userId)) {
            throw new ApiError(404, NOT_FOUND, "Resource '" + userId + "' does not exist or one of its queried reference-property objects are not present.");
        }
    }

    /** "https://graph.microsoft.com/v1.0/directoryObjects/{id}" -> id */
    private static String objectId(String reference) {
        if (reference == null || reference.isBlank() || !reference.contains("/directoryObjects/")) {
            throw new ApiError(400, BAD, "Invalid object identifier '" + reference + "'.");
        }
        return reference.substring(reference.lastIndexOf('/') + 1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
