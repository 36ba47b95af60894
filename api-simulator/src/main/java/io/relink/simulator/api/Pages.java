package io.relink.simulator.api;

import io.relink.simulator.ApiError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque cursors and request helpers shared by the vendor APIs. */
final class Pages {

    private Pages() {
    }

    /** An opaque cursor, as the vendors hand out: base64 of a small JSON state. */
    static String cursor(JsonObject state) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(state.encode().getBytes(StandardCharsets.UTF_8));
    }

    static JsonObject decodeCursor(String cursor, int status, String code) {
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ApiError(status, code, "Invalid cursor");
        }
    }

    static int intParam(RoutingContext ctx, String name, int fallback, int min, int max, String badRequestCode) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                throw new ApiError(400, badRequestCode, name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ApiError(400, badRequestCode, name + " must be a number");
        }
    }

    /** The base URL the client used (scheme://host:port), for links that point back at the simulator. */
    static String baseUrl(RoutingContext ctx) {
        String absolute = ctx.request().absoluteURI();
        int pathStart = absolute.indexOf('/', absolute.indexOf("://") + 3);
        return pathStart < 0 ? absolute : absolute.substring(0, pathStart);
    }

    static JsonObject body(RoutingContext ctx, String badRequestCode) {
        try {
            JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
            if (body == null) {
                throw new ApiError(400, badRequestCode, "A JSON object body is required");
            }
            return body;
        } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
            throw new ApiError(400, badRequestCode, "The body is not a JSON object");
        }
    }
}
