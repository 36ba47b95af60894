package io.relink.support.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;

/**
 * Problem details for what the HTTP layer refuses before any resource runs: a body over
 * {@code quarkus.http.limits.max-body-size} (413). A request that announces its length is answered before its body is
 * read; the framework's own check (plain 413) still covers bodies sent without a length.
 */
@ApplicationScoped
public class HttpLimitProblems {

    /** Ahead of every route the framework registers. */
    private static final int FIRST = -1000;

    private final ObjectMapper json;
    private final long maxBodyBytes;

    public HttpLimitProblems(ObjectMapper json,
                             @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(FIRST).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && !length.isEmpty() && length.chars().allMatch(Character::isDigit)
                    && new java.math.BigInteger(length).compareTo(java.math.BigInteger.valueOf(maxBodyBytes)) > 0) {
                context.response().putHeader("Connection", "close");
                respond(context, 413, "Payload Too Large", "The request body (" + length + " bytes) is larger than this "
                        + "service accepts (" + maxBodyBytes + " bytes, quarkus.http.limits.max-body-size)");
            } else {
                context.next();
            }
        });
    }

    private void respond(RoutingContext context, int status, String title, String detail) {
        if (context.response().headWritten()) {
            context.response().end();
            return;
        }
        try {
            context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(new Problem(URI.create("about:blank"), title, status, detail,
                            context.request().path(), null)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            context.response().setStatusCode(status).end();
        }
    }
}
