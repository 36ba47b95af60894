package io.relink.simulator.api;

import io.relink.simulator.Api;
import io.relink.simulator.ApiError;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.Endpoints;
import io.relink.simulator.model.ScimDirectory;
import io.relink.simulator.model.ScimUser;
import io.relink.simulator.model.SimulatedOrg;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Atlassian SCIM 2.0 users of the provisioning directory. As documented: only a single {@code userName eq}
 * or {@code externalId eq} filter; startIndex/count paging with at most 100 per page; no sorting.
 */
public final class ScimApi {

    static final String SCIM_JSON = "application/scim+json";
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ATLASSIAN_EXTENSION = "urn:scim:schemas:extension:atlassian-external:1.0";
    private static final Pattern FILTER = Pattern.compile("^\\s*(userName|externalId)\\s+eq\\s+\"([^\"]*)\"\\s*$",
            Pattern.CASE_INSENSITIVE);

    private final ApiSimulator sim;

    public ScimApi(ApiSimulator sim) {
        this.sim = sim;
    }

    public void register(Endpoints endpoints) {
        Api api = Api.ATLASSIAN_SCIM;
        endpoints.register(HttpMethod.GET, "/scim/directory/:directoryId/Users", api, "scim.listUsers", this::list);
        endpoints.register(HttpMethod.POST, "/scim/directory/:directoryId/Users", api, "scim.createUser", this::create);
        endpoints.register(HttpMethod.GET, "/scim/directory/:directoryId/Users/:id", api, "scim.getUser", this::get);
        endpoints.register(HttpMethod.PATCH, "/scim/directory/:directoryId/Users/:id", api, "scim.patchUser", this::patch);
        endpoints.register(HttpMethod.DELETE, "/scim/directory/:directoryId/Users/:id", api, "scim.deleteUser", this::delete);
    }

    private SimulatedOrg org(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        if (!org.scimDirectoryId.equals(ctx.pathParam("directoryId"))) {
            throw new ApiError(404, null, "Directory not found");
        }
        return org;
    }

    private void list(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        List<ScimUser> users = org.scimUsers.values().stream().toList();
        String filter = ctx.request().getParam("filter");
        if (filter != null && !filter.isBlank()) {
            Matcher m = FILTER.matcher(filter);
            if (!m.matches()) {
                throw new ApiError(400, "invalidFilter",
                        "Unsupported filter. Only 'userName eq \"value\"' or 'externalId eq \"value\"' are supported");
            }
            boolean byUserName = m.group(1).equalsIgnoreCase("userName");
            String value = m.group(2);
            users = users.stream().filter(u -> byUserName ? value.equalsIgnoreCase(u.userName) : value.equals(u.externalId))
                    .toList();
        }
        int startIndex = Math.max(1, Pages.intParam(ctx, "startIndex", 1, Integer.MIN_VALUE, Integer.MAX_VALUE, "invalidValue"));
        int count = Math.min(sim.config().scimMaxCount(),
                Math.max(0, Pages.intParam(ctx, "count", sim.config().scimMaxCount(), Integer.MIN_VALUE, Integer.MAX_VALUE, "invalidValue")));
        int from = Math.min(startIndex - 1, users.size());
        List<ScimUser> page = users.subList(from, Math.min(from + count, users.size()));
        JsonArray resources = new JsonArray();
        page.forEach(u -> resources.add(render(ctx, org, u)));
        Endpoints.json(ctx, 200, new JsonObject()
                .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:ListResponse"))
                .put("totalResults", users.size())
                .put("startIndex", startIndex)
                .put("itemsPerPage", page.size())
                .put("Resources", resources), SCIM_JSON);
    }

    private void create(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        JsonObject body = Pages.body(ctx, "invalidSyntax");
        String email = primaryEmail(body);
        JsonObject name = body.getJsonObject("name", new JsonObject());
        sim.counters().mutation("scim.createUser", email == null ? "?" : email.toLowerCase(Locale.ROOT));
        ScimDirectory.CreateResult result = ScimDirectory.create(org, new ScimDirectory.CreateRequest(
                body.getString("userName"), email, body.getString("externalId"), name.getString("givenName"),
                name.getString("familyName"), body.getString("displayName"), body.getBoolean("active", true)));
        switch (result.outcome()) {
            case INVALID -> throw new ApiError(400, "invalidValue", result.detail());
            case CONFLICT -> throw new ApiError(409, "uniqueness", result.detail());
            default -> Endpoints.json(ctx, 201, render(ctx, org, result.user()), SCIM_JSON);
        }
    }

    private void get(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        Endpoints.json(ctx, 200, render(ctx, org, find(org, ctx.pathParam("id"))), SCIM_JSON);
    }

    /** Supports the operations IdPs send in practice: replace active, userName, emails, displayName. */
    private void patch(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        ScimUser user = find(org, ctx.pathParam("id"));
        JsonArray operations = Pages.body(ctx, "invalidSyntax").getJsonArray("Operations");
        if (operations == null || operations.isEmpty()) {
            throw new ApiError(400, "invalidSyntax", "Operations is required");
        }
        sim.counters().mutation("scim.patchUser", user.email == null ? user.id : user.email.toLowerCase(Locale.ROOT));
        for (Object o : operations) {
            JsonObject op = (JsonObject) o;
            if (!"replace".equalsIgnoreCase(op.getString("op")) && !"add".equalsIgnoreCase(op.getString("op"))) {
                throw new ApiError(400, "invalidSyntax", "Unsupported op " + op.getString("op"));
            }
            JsonObject values = op.getString("path") == null ? op.getJsonObject("value", new JsonObject())
                    : new JsonObject().put(op.getString("path"), op.getValue("value"));
            if (values.containsKey("active")) {
                ScimDirectory.setActive(org, user, Boolean.parseBoolean(String.valueOf(values.getValue("active"))));
            }
            if (values.containsKey("displayName")) {
                user.displayName = values.getString("displayName");
            }
            if (values.containsKey("userName")) {
                user.userName = values.getString("userName");
            }
        }
        Endpoints.json(ctx, 200, render(ctx, org, user), SCIM_JSON);
    }

    /** DELETE deactivates the linked account (Atlassian keeps it). */
    private void delete(RoutingContext ctx) {
        SimulatedOrg org = org(ctx);
        ScimUser user = find(org, ctx.pathParam("id"));
        sim.counters().mutation("scim.deleteUser", user.email == null ? user.id : user.email.toLowerCase(Locale.ROOT));
        ScimDirectory.setActive(org, user, false);
        org.scimUsers.remove(user.id);
        var account = org.accounts.get(user.atlassianAccountId);
        if (account != null) {
            account.scimUserId = null;
        }
        ctx.response().setStatusCode(204).end();
    }

    private static ScimUser find(SimulatedOrg org, String id) {
        ScimUser user = org.scimUsers.get(id);
        if (user == null) {
            throw new ApiError(404, null, "Resource " + id + " not found");
        }
        return user;
    }

    private static String primaryEmail(JsonObject body) {
        JsonArray emails = body.getJsonArray("emails");
        if (emails == null || emails.isEmpty()) {
            return null;
        }
        for (Object e : emails) {
            JsonObject email = (JsonObject) e;
            if (email.getBoolean("primary", false)) {
                return email.getString("value");
            }
        }
        return ((JsonObject) emails.getValue(0)).getString("value");
    }

    static JsonObject render(RoutingContext ctx, SimulatedOrg org, ScimUser u) {
        JsonObject user = new JsonObject()
                .put("schemas", org.scimExtensionOmitted ? new JsonArray().add(USER_SCHEMA)
                        : new JsonArray().add(USER_SCHEMA).add(ATLASSIAN_EXTENSION))
                .put("id", u.id)
                .put("externalId", u.externalId)
                .put("userName", u.userName)
                .put("emails", new JsonArray().add(new JsonObject().put("value", u.email).put("type", "work").put("primary", true)))
                .put("name", new JsonObject().put("givenName", u.givenName).put("familyName", u.familyName)
                        .put("formatted", u.displayName))
                .put("displayName", u.displayName)
                .put("active", u.active)
                .put("groups", new JsonArray())
                .put("meta", new JsonObject().put("resourceType", "User")
                        .put("created", u.created == null ? null : u.created.toString())
                        .put("lastModified", u.lastModified == null ? null : u.lastModified.toString())
                        .put("location", Pages.baseUrl(ctx) + "/scim/directory/" + org.scimDirectoryId + "/Users/" + u.id));
        return org.scimExtensionOmitted ? user
                : user.put(ATLASSIAN_EXTENSION, new JsonObject().put("atlassianAccountId", u.atlassianAccountId));
    }
}
