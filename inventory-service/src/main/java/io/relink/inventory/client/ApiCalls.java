package io.relink.inventory.client;

import io.relink.inventory.config.ClientsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sends one API call with the vendors' documented back-off: on 429 wait {@code Retry-After} (seconds) or
 * until {@code X-RateLimit-Reset} (Atlassian, ISO-8601); on 5xx, timeouts and dropped connections back off
 * exponentially with jitter; give up after {@code maxAttempts}. Other 4xx fail at once.
 */
@ApplicationScoped
public class ApiCalls {

    private static final Logger LOG = Logger.getLogger(ApiCalls.class);

    private final ClientsConfig config;

    public ApiCalls(ClientsConfig config) {
        this.config = config;
    }

    public Uni<JsonObject> json(String what, Supplier<HttpRequest<Buffer>> request, Buffer body) {
        return attempt(what, request, body, 1).map(response -> {
            try {
                return response.bodyAsJsonObject();
            } catch (RuntimeException e) {
                throw new ApiException(what + " answered a body that is not a JSON object", response.statusCode());
            }
        });
    }

    private Uni<HttpResponse<Buffer>> attempt(String what, Supplier<HttpRequest<Buffer>> request, Buffer body, int attempt) {
        HttpRequest<Buffer> call = request.get().timeout(config.requestTimeout().toMillis());
        Uni<HttpResponse<Buffer>> sent = body == null ? call.send() : call.sendBuffer(body);
        return sent
                .onFailure().recoverWithUni(error -> retryOrFail(what, request, body, attempt, backoff(attempt),
                        "network error: " + error.getMessage(), 0))
                .flatMap(response -> {
                    int status = response.statusCode();
                    if (status == 429) {
                        return retryOrFail(what, request, body, attempt, throttleDelay(response, attempt), "429", status);
                    }
                    if (status >= 500) {
                        return retryOrFail(what, request, body, attempt, backoff(attempt), String.valueOf(status), status);
                    }
                    if (status >= 400) {
                        return Uni.createFrom().failure(new ApiException(what + " answered " + status + ": " + summary(response), status));
                    }
                    return Uni.createFrom().item(response);
                });
    }

    private Uni<HttpResponse<Buffer>> retryOrFail(String what, Supplier<HttpRequest<Buffer>> request, Buffer body,
                                                  int attempt, Duration delay, String reason, int status) {
        if (attempt >= config.maxAttempts()) {
            return Uni.createFrom().failure(new ApiException(what + " still failing after " + attempt + " attempts (last: "
                    + reason + ")", status));
        }
        LOG.debugf("%s: %s, attempt %d, retrying in %d ms", what, reason, attempt, delay.toMillis());
        return Uni.createFrom().voidItem().onItem().delayIt().by(delay)
                .flatMap(ignored -> attempt(what, request, body, attempt + 1));
    }

    private Duration throttleDelay(HttpResponse<Buffer> response, int attempt) {
        String retryAfter = response.getHeader("Retry-After");
        if (retryAfter != null) {
            try {
                return Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
            } catch (NumberFormatException ignored) {
                // an HTTP-date: fall through to the other hints
            }
        }
        String reset = response.getHeader("X-RateLimit-Reset");
        if (reset != null) {
            try {
                Duration wait = Duration.between(Instant.now(), Instant.parse(reset.strip()));
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException ignored) {
                // unknown format: back off instead
            }
        }
        return backoff(attempt);
    }

    private Duration backoff(int attempt) {
        long base = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        long jitter = ThreadLocalRandom.current().nextLong(base / 5 + 1);
        return Duration.ofMillis(base + jitter);
    }

    private static String summary(HttpResponse<Buffer> response) {
        String text = response.bodyAsString();
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
