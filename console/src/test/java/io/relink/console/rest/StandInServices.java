package io.relink.console.rest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the services behind the console: it records each request and answers with what it saw (or with a
 * problem for paths under {@code /api/refuse}). The executor's address points at a closed port.
 */
public class StandInServices implements QuarkusTestResourceLifecycleManager {

    static final List<JsonObject> RECEIVED = new CopyOnWriteArrayList<>();

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            JsonObject seen = new JsonObject().put("method", request.method().name()).put("path", request.path())
                    .put("query", request.query()).put("authorization", request.getHeader("Authorization"))
                    .put("cookie", request.getHeader("Cookie")).put("contentType", request.getHeader("Content-Type"))
                    .put("body", body.toString());
            RECEIVED.add(seen);
            if (request.path().startsWith("/api/refuse")) {
                request.response().setStatusCode(403).putHeader("Content-Type", "application/problem+json")
                        .end(new JsonObject().put("title", "Forbidden").put("status", 403).encode());
            } else {
                request.response().putHeader("Content-Type", "application/json")
                        .putHeader("Content-Disposition", "attachment; filename=\"seen.json\"")
                        .putHeader("Set-Cookie", "upstream=1").end(seen.encode());
            }
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The stand-in service did not start", e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("relink.console.services.inventory", url, "relink.console.services.matcher", url,
                "relink.console.services.executor", "http://127.0.0.1:1", "relink.console.timeout", "5s");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
