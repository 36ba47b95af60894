package io.relink.simulator.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.simulator.Api;
import io.relink.simulator.ApiError;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.Endpoints;
import io.relink.simulator.FaultSpec;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.AtlassianAccount;
import io.relink.simulator.model.EntraUser;
import io.relink.simulator.model.SeedSpec;
import io.relink.simulator.model.SimulatedOrg;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The simulator's own control surface under {@code /__admin}: seed and reset the world, inspect it, change
 * Entra users (feeding the delta query), inject faults, change rate limits, read call counters.
 */
public final class AdminApi {

    private static final String PREFIX = "/__admin";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ApiSimulator sim;

    public AdminApi(ApiSimulator sim) {
        this.sim = sim;
    }

    public void register(Endpoints endpoints) {
        Api api = Api.SIMULATOR;
        endpoints.register(HttpMethod.POST, PREFIX + "/seed", api, "admin.seed", this::seed);
        endpoints.register(HttpMethod.POST, PREFIX + "/reset", api, "admin.reset", this::reset);
        endpoints.register(HttpMethod.GET, PREFIX + "/summary", api, "admin.summary", this::summary);
        endpoints.register(HttpMethod.GET, PREFIX + "/accounts", api, "admin.account", this::account);
        endpoints.register(HttpMethod.GET, PREFIX + "/provisioning-log", api, "admin.provisioningLog", this::provisioningLog);
        endpoints.register(HttpMethod.GET, PREFIX + "/counters", api, "admin.counters", this::counters);
        endpoints.register(HttpMethod.GET, PREFIX + "/faults", api, "admin.faults", this::faults);
        endpoints.register(HttpMethod.PUT, PREFIX + "/faults", api, "admin.putFault", this::putFault);
        endpoints.register(HttpMethod.DELETE, PREFIX + "/faults", api, "admin.clearFaults", this::clearFaults);
        endpoints.register(HttpMethod.PUT, PREFIX + "/rate-limits/:api", api, "admin.rateLimit", this::rateLimit);
        endpoints.register(HttpMethod.POST, PREFIX + "/entra/users", api, "admin.createEntraUser", this::createEntraUser);
        endpoints.register(HttpMethod.PATCH, PREFIX + "/entra/users/:id", api, "admin.updateEntraUser", this::updateEntraUser);
        endpoints.register(HttpMethod.DELETE, PREFIX + "/entra/users/:id", api, "admin.deleteEntraUser", this::deleteEntraUser);
        endpoints.register(HttpMethod.POST, PREFIX + "/graph/expire-delta-tokens", api, "admin.expireDeltaTokens",
                ctx -> {
                    sim.expireDeltaTokens();
                    ctx.response().setStatusCode(204).end();
                });
    }

    private void seed(RoutingContext ctx) {
        SeedSpec spec;
        try {
            String body = ctx.body() == null ? null : ctx.body().asString();
            spec = body == null || body.isBlank() ? SeedSpec.defaults() : JSON.readValue(body, SeedSpec.class);
        } catch (java.io.IOException e) {
            throw new ApiError(400, "bad-seed", "Invalid seed spec: " + e.getMessage());
        }
        sim.seed(spec);
        summary(ctx);
    }

    private void reset(RoutingContext ctx) {
        sim.reset();
        summary(ctx);
    }

    private void summary(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        long onSso = org.accounts.values().stream().filter(a -> org.policy(a.policyId) != null && org.policy(a.policyId).sso()).count();
        Endpoints.json(ctx, 200, new JsonObject()
                .put("orgId", org.orgId).put("directoryId", org.directoryId).put("scimDirectoryId", org.scimDirectoryId)
                .put("accounts", org.accounts.size()).put("accountsOnSsoPolicy", onSso)
                .put("entraUsers", org.entraUsers.size()).put("scimUsers", org.scimUsers.size())
                .put("scopeGroupIds", new JsonArray(List.copyOf(org.scopeGroupIds)))
                .put("scopeServicePrincipalIds", new JsonArray(List.copyOf(org.scopeServicePrincipalIds)))
                .put("policies", new JsonArray(org.policies.values().stream()
                        .map(p -> new JsonObject().put("id", p.id()).put("name", p.name()).put("sso", p.sso())).toList())));
    }

    /** GET /__admin/accounts?email=x: the state of one Atlassian account as the simulator sees it. */
    private void account(RoutingContext ctx) {
        SimulatedOrg org = sim.org();
        String email = ctx.request().getParam("email");
        if (email == null) {
            throw new ApiError(400, "bad-request", "email is required");
        }
        AtlassianAccount a = org.accountByEmail(email).orElseThrow(() -> new ApiError(404, "not-found", "No account " + email));
        var scim = a.scimUserId == null ? null : org.scimUsers.get(a.scimUserId);
        Endpoints.json(ctx, 200, new JsonObject().put("accountId", a.accountId).put("email", a.email).put("name", a.name)
                .put("accountStatus", a.accountStatus).put("claimStatus", a.claimStatus)
                .put("managementSource", a.managementSource).put("policyId", a.policyId)
                .put("scimUserId", a.scimUserId).put("scimExternalId", scim == null ? null : scim.externalId));
    }

    private void provisioningLog(RoutingContext ctx) {
        JsonArray log = new JsonArray();
        sim.org().provisioningLog.forEach(e -> log.add(new JsonObject().put("at", e.at().toString())
                .put("entraUserId", e.entraUserId()).put("pushedEmail", e.pushedEmail()).put("outcome", e.outcome())
                .put("atlassianAccountId", e.atlassianAccountId()).put("detail", e.detail())));
        Endpoints.json(ctx, 200, new JsonObject().put("events", log));
    }

    private void counters(RoutingContext ctx) {
        Endpoints.json(ctx, 200, new JsonObject()
                .put("mutations", new JsonObject(new java.util.LinkedHashMap<>(sim.counters().mutationSnapshot())))
                .put("responses", new JsonObject(new java.util.LinkedHashMap<>(sim.counters().responseSnapshot()))));
    }

    private void faults(RoutingContext ctx) {
        JsonArray faults = new JsonArray();
        sim.endpoints().faults().values().forEach(f -> faults.add(JsonObject.mapFrom(f)));
        Endpoints.json(ctx, 200, new JsonObject().put("faults", faults));
    }

    private void putFault(RoutingContext ctx) {
        try {
            FaultSpec fault = JSON.readValue(ctx.body().asString(), FaultSpec.class);
            sim.endpoints().putFault(fault);
        } catch (java.io.IOException e) {
            throw new ApiError(400, "bad-fault", "Invalid fault spec: " + e.getMessage());
        }
        faults(ctx);
    }

    private void clearFaults(RoutingContext ctx) {
        sim.endpoints().clearFaults();
        faults(ctx);
    }

    private void rateLimit(RoutingContext ctx) {
        Api api;
        try {
            api = Api.valueOf(ctx.pathParam("api").toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-api", "Unknown API " + ctx.pathParam("api") + "; expected atlassian-admin, atlassian-scim or graph");
        }
        JsonObject body = Pages.body(ctx, "bad-request");
        Long capacity = body.getLong("capacity");
        Double perSecond = body.getDouble("perSecond");
        if (api == Api.SIMULATOR || capacity == null || capacity < 1 || perSecond == null || perSecond <= 0) {
            throw new ApiError(400, "bad-request", "capacity (>= 1) and perSecond (> 0) are required");
        }
        sim.rateLimits().configure(api, new SimulatorConfig.RateLimit(capacity, perSecond));
        Endpoints.json(ctx, 200, body.put("api", api.name()));
    }

    private void createEntraUser(RoutingContext ctx) {
        JsonObject body = Pages.body(ctx, "bad-request");
        EntraUser user = new EntraUser(body.getString("id", UUID.randomUUID().toString()));
        if (sim.org().entraUsers.containsKey(user.id)) {
            throw new ApiError(409, "conflict", "Entra user " + user.id + " exists");
        }
        apply(user, body);
        if (user.userPrincipalName == null) {
            throw new ApiError(400, "bad-request", "userPrincipalName is required");
        }
        sim.org().entraUsers.put(user.id, user);
        sim.org().entraUserChanged(user.id, false);
        Endpoints.json(ctx, 201, GraphApi.render(user, List.copyOf(GraphApi.PROPERTIES)));
    }

    private void updateEntraUser(RoutingContext ctx) {
        EntraUser user = sim.org().entraUsers.get(ctx.pathParam("id"));
        if (user == null) {
            throw new ApiError(404, "not-found", "No Entra user " + ctx.pathParam("id"));
        }
        apply(user, Pages.body(ctx, "bad-request"));
        sim.org().entraUserChanged(user.id, false);
        Endpoints.json(ctx, 200, GraphApi.render(user, List.copyOf(GraphApi.PROPERTIES)));
    }

    private void deleteEntraUser(RoutingContext ctx) {
        EntraUser user = sim.org().entraUsers.remove(ctx.pathParam("id"));
        if (user == null) {
            throw new ApiError(404, "not-found", "No Entra user " + ctx.pathParam("id"));
        }
        sim.org().groupMembers.values().forEach(members -> members.remove(user.id));
        sim.org().entraUserChanged(user.id, true);
        ctx.response().setStatusCode(204).end();
    }

    private static void apply(EntraUser user, JsonObject body) {
        for (String field : body.fieldNames()) {
            switch (field) {
                case "id" -> { }
                case "userPrincipalName" -> user.userPrincipalName = body.getString(field);
                case "mail" -> user.mail = body.getString(field);
                case "displayName" -> user.displayName = body.getString(field);
                case "givenName" -> user.givenName = body.getString(field);
                case "surname" -> user.surname = body.getString(field);
                case "accountEnabled" -> user.accountEnabled = body.getBoolean(field);
                case "userType" -> user.userType = body.getString(field);
                case "employeeId" -> user.employeeId = body.getString(field);
                case "onPremisesImmutableId" -> user.onPremisesImmutableId = body.getString(field);
                case "proxyAddresses" -> user.proxyAddresses = new java.util.ArrayList<>(body.getJsonArray(field).getList());
                case "otherMails" -> user.otherMails = new java.util.ArrayList<>(body.getJsonArray(field).getList());
                default -> throw new ApiError(400, "bad-request", "Unknown Entra user field " + field);
            }
        }
    }
}
