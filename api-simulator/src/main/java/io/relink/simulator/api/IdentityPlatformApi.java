package io.relink.simulator.api;

import io.relink.simulator.Api;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.Endpoints;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The Microsoft identity platform's token endpoint ({@code POST /{tenant}/oauth2/v2.0/token}), client-credentials
 * grant only: an app registration trades its client id and secret for a Graph bearer token. Errors follow the
 * platform's OAuth shape ({@code error}, {@code error_description} with an AADSTS code).
 */
public final class IdentityPlatformApi {

    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
    static final int TOKEN_LIFETIME_SECONDS = 3599;

    private final ApiSimulator sim;

    public IdentityPlatformApi(ApiSimulator sim) {
        this.sim = sim;
    }

    public void register(Endpoints endpoints) {
        endpoints.register(HttpMethod.POST, "/:tenant/oauth2/v2.0/token", Api.SIMULATOR, "identity.token", this::token);
    }

    private void token(RoutingContext ctx) {
        var form = ctx.request().formAttributes();
        if (!"client_credentials".equals(form.get("grant_type"))) {
            error(ctx, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
        } else if (!GRAPH_SCOPE.equals(form.get("scope"))) {
            error(ctx, 400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. Client credential "
                    + "flows must have a scope value with /.default suffixed to the resource identifier.");
        } else if (!sim.config().graphClientId().equals(form.get("client_id"))) {
            error(ctx, 400, "unauthorized_client", "AADSTS700016: Application with identifier '" + form.get("client_id")
                    + "' was not found in the directory.");
        } else if (!sim.config().graphClientSecret().equals(form.get("client_secret"))) {
            error(ctx, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        } else {
            Endpoints.json(ctx, 200, new JsonObject().put("token_type", "Bearer").put("expires_in", TOKEN_LIFETIME_SECONDS)
                    .put("ext_expires_in", TOKEN_LIFETIME_SECONDS).put("access_token", sim.config().graphToken()));
        }
    }

    private static void error(RoutingContext ctx, int status, String error, String description) {
        Endpoints.json(ctx, status, new JsonObject().put("error", error).put("error_description", description)
                .put("error_codes", new io.vertx.core.json.JsonArray()));
    }
}
