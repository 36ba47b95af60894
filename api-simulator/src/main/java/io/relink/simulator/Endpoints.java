package io.relink.simulator;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Registers endpoints behind the same gate every vendor API has: credentials, then injected faults, then the
 * rate limit, then the handler; errors are rendered in the API's own format.
 */
public final class Endpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
    public static final String ALL = "*";

    private final Vertx vertx;
    private final Router router;
    private final SimulatorConfig config;
    private final RateLimits limits;
    private final CallCounters counters;
    private final Map<String, FaultSpec> faults = new ConcurrentHashMap<>();

    Endpoints(Vertx vertx, Router router, SimulatorConfig config, RateLimits limits, CallCounters counters) {
        this.vertx = vertx;
        this.router = router;
        this.config = config;
        this.limits = limits;
        this.counters = counters;
    }

    public void register(HttpMethod method, String path, Api api, String name, Handler<RoutingContext> handler) {
        router.route(method, path).handler(ctx -> {
            ctx.addBodyEndHandler(v -> counters.response(name, ctx.response().getStatusCode()));
            if (api != Api.SIMULATOR && !authorized(api, ctx.request().getHeader("Authorization"))) {
                fail(ctx, api, new ApiError(401, unauthorizedCode(api), "Missing or invalid credentials"));
                return;
            }
            FaultSpec fault = faults.getOrDefault(name, faults.get(ALL));
            if (fault != null && api != Api.SIMULATOR && injectFault(ctx, api, fault)) {
                return;
            }
            Runnable proceed = () -> {
                if (api != Api.SIMULATOR) {
                    Duration wait = limits.tryAcquire(api);
                    if (wait != null) {
                        tooManyRequests(ctx, api, wait);
                        return;
                    }
                }
                try {
                    handler.handle(ctx);
                } catch (ApiError e) {
                    fail(ctx, api, e);
                } catch (IllegalArgumentException e) {
                    fail(ctx, api, new ApiError(400, badRequestCode(api), e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.error("{} failed", name, e);
                    fail(ctx, api, new ApiError(500, "InternalError", "Internal error"));
                }
            };
            if (fault != null && fault.latencyMs() > 0 && api != Api.SIMULATOR) {
                vertx.setTimer(fault.latencyMs(), id -> proceed.run());
            } else {
                proceed.run();
            }
        });
    }

    /** @return true when the fault answered (or dropped) the call */
    private boolean injectFault(RoutingContext ctx, Api api, FaultSpec fault) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (fault.dropRate() > 0 && random.nextDouble() < fault.dropRate()) {
            ctx.request().connection().close();
            return true;
        }
        if (fault.timeoutRate() > 0 && random.nextDouble() < fault.timeoutRate()) {
            vertx.setTimer(fault.hangMs(), id -> {
                if (!ctx.response().closed() && !ctx.response().ended()) {
                    fail(ctx, api, new ApiError(504, "GatewayTimeout", "Upstream timed out"));
                }
            });
            return true;
        }
        if (fault.rateLimitRate() > 0 && random.nextDouble() < fault.rateLimitRate()) {
            tooManyRequests(ctx, api, Duration.ofSeconds(1));
            return true;
        }
        if (fault.errorRate() > 0 && random.nextDouble() < fault.errorRate()) {
            int status = fault.statuses().get(random.nextInt(fault.statuses().size()));
            fail(ctx, api, new ApiError(status, api == Api.GRAPH ? "serviceNotAvailable" : null, "Injected fault"));
            return true;
        }
        return false;
    }

    private boolean authorized(Api api, String header) {
        String expected = switch (api) {
            case ATLASSIAN_ADMIN -> config.adminApiKey();
            case ATLASSIAN_SCIM -> config.scimApiKey();
            case GRAPH -> config.graphToken();
            case SIMULATOR -> null;
        };
        return header != null && header.equals("Bearer " + expected);
    }

    /** Graph answers Retry-After; Atlassian answers X-RateLimit-* and only sometimes Retry-After. */
    private void tooManyRequests(RoutingContext ctx, Api api, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        var response = ctx.response();
        if (api == Api.GRAPH) {
            response.putHeader("Retry-After", String.valueOf(seconds));
            fail(ctx, api, new ApiError(429, "TooManyRequests", "Too many requests. Retry after " + seconds + " seconds."));
            return;
        }
        response.putHeader("X-RateLimit-Limit", String.valueOf(limits.capacity(api)));
        response.putHeader("X-RateLimit-Remaining", "0");
        response.putHeader("X-RateLimit-Reset", Instant.now().plus(wait).toString());
        if (ThreadLocalRandom.current().nextDouble() < config.atlassianRetryAfterShare()) {
            response.putHeader("Retry-After", String.valueOf(seconds));
        }
        fail(ctx, api, new ApiError(429, api == Api.ATLASSIAN_ADMIN ? "ADMIN-UAM-429-1" : null, "Rate limit exceeded"));
    }

    public static void fail(RoutingContext ctx, Api api, ApiError error) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        json(ctx, error.status, api.error(error.status, error.code, error.getMessage()),
                api == Api.ATLASSIAN_SCIM ? "application/scim+json" : "application/json");
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        json(ctx, status, body, "application/json");
    }

    public static void json(RoutingContext ctx, int status, JsonObject body, String contentType) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body.encode());
    }

    private static String unauthorizedCode(Api api) {
        return switch (api) {
            case ATLASSIAN_ADMIN -> "ADMIN-UAM-401-1";
            case GRAPH -> "InvalidAuthenticationToken";
            default -> null;
        };
    }

    static String badRequestCode(Api api) {
        return switch (api) {
            case ATLASSIAN_ADMIN -> "ADMIN-UAM-400-1";
            case GRAPH -> "Request_BadRequest";
            case ATLASSIAN_SCIM -> "invalidValue";
            case SIMULATOR -> "bad-request";
        };
    }

    // ---- fault administration --------------------------------------------------------------------------------

    public void putFault(FaultSpec fault) {
        faults.put(fault.endpoint(), fault);
    }

    public Map<String, FaultSpec> faults() {
        return Map.copyOf(faults);
    }

    public void clearFaults() {
        faults.clear();
    }
}
