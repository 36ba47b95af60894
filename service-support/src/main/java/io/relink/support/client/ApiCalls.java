package io.relink.support.client;

import io.github.bucket4j.Bandwidth;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.bucket4j.Bucket;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Every call to a vendor API goes through here:
 * <ul>
 *   <li>a client-side token bucket per API and tenant (Bucket4j) keeps us under the vendor's limit, so 429s stay rare;</li>
 *   <li>a 429 waits what the server asked for ({@code Retry-After} seconds, or Atlassian's {@code X-RateLimit-Reset}
 *       instant) and is sent again, spending no attempt: being throttled costs time only, up to
 *       {@code relink.clients.max-retry-duration}. Callers that came back together after a restart (their client-side
 *       buckets full, the vendor's still empty) would otherwise spend their attempts on 429s and fail work the API
 *       would have done a second later;</li>
 *   <li>retries (SmallRye Fault Tolerance) on 5xx, timeouts and dropped connections, backing off exponentially with
 *       jitter, up to {@code relink.clients.max-attempts};</li>
 *   <li>a circuit breaker per API and tenant opens when the API keeps failing (429s do not count: the API is busy, not
 *       broken) and fails calls fast until it has had time to recover.</li>
 * </ul>
 * Other 4xx answers fail at once with {@link ApiException}. The result is delivered on the caller's Vert.x context, so
 * callers may continue with Hibernate Reactive.
 */
@ApplicationScoped
public class ApiCalls {

    private static final Logger LOG = Logger.getLogger(ApiCalls.class);
    private static final TypeLiteral<Uni<HttpResponse<Buffer>>> RESPONSE = new TypeLiteral<>() {
    };

    private final ClientsConfig config;
    private final Map<String, Throttle> throttles = new ConcurrentHashMap<>();
    private final Map<String, TypedGuard<Uni<HttpResponse<Buffer>>>> guards = new ConcurrentHashMap<>();

    private final MeterRegistry registry;

    public ApiCalls(ClientsConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** One call whose answer is a JSON object. */
    public Uni<JsonObject> json(ApiTarget target, String what, Supplier<HttpRequest<Buffer>> request, Buffer body) {
        return send(target, what, request, body).map(response -> {
            try {
                return response.bodyAsJsonObject();
            } catch (RuntimeException e) {
                throw new ApiException(what + " answered a body that is not a JSON object", response.statusCode(),
                        "UNEXPECTED_RESPONSE");
            }
        });
    }

    /** One call; any 2xx answer is returned, everything else fails with {@link ApiException}. */
    public Uni<HttpResponse<Buffer>> send(ApiTarget target, String what, Supplier<HttpRequest<Buffer>> request, Buffer body) {
        Context caller = io.vertx.core.Vertx.currentContext();
        AtomicInteger attempts = new AtomicInteger();
        long deadline = System.nanoTime() + config.maxRetryDuration().toNanos();
        Uni<HttpResponse<Buffer>> guarded = guard(target).get(() -> untilNotThrottled(target, what, request, body, attempts, deadline, 0))
                .onFailure(CircuitBreakerOpenException.class).transform(e -> new ApiException(
                        target.api() + " is failing repeatedly; calls are paused (circuit open): " + what, 0, ApiException.CIRCUIT_OPEN))
                .onFailure(e -> !(e instanceof ApiException)).transform(e -> new ApiException(
                        what + " failed: " + e.getMessage(), 0, "NETWORK"))
                .onFailure(ApiException.class).transform(e -> ((ApiException) e).withAttempts(attempts.get()));
        return caller == null ? guarded : guarded.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** One attempt, sent again after each 429 (after the server's wait) until the call's retry time is up. */
    private Uni<HttpResponse<Buffer>> untilNotThrottled(ApiTarget target, String what, Supplier<HttpRequest<Buffer>> request,
                                                        Buffer body, AtomicInteger attempts, long deadline, int throttled) {
        attempts.incrementAndGet();
        return attempt(target, what, request, body)
                .onFailure(e -> e instanceof TransientApiException t && t.throttled()).recoverWithUni(e -> {
                    Duration wait = ((TransientApiException) e).retryAfter().orElseGet(() -> backoff(throttled + 1));
                    if (System.nanoTime() + wait.toNanos() > deadline) {
                        // Not transient any more: the guard must not retry what has used up the call's time.
                        return Uni.createFrom().failure(new ApiException(e.getMessage() + ", still after "
                                + config.maxRetryDuration().toSeconds() + " s of waiting", 429));
                    }
                    LOG.debugf("%s: throttled, sending again in %d ms", target.key(), wait.toMillis());
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait.isZero() ? Duration.ofMillis(1) : wait)
                            .flatMap(ignored -> untilNotThrottled(target, what, request, body, attempts, deadline, throttled + 1));
                });
    }

    private Uni<HttpResponse<Buffer>> attempt(ApiTarget target, String what, Supplier<HttpRequest<Buffer>> request, Buffer body) {
        return throttle(target).flatMap(ignored -> {
            HttpRequest<Buffer> call = request.get().timeout(config.requestTimeout().toMillis());
            return body == null ? call.send() : call.sendBuffer(body);
        }).onFailure(e -> !(e instanceof ApiException)).invoke(() -> attempted(target, "network"))
                .onFailure(e -> !(e instanceof ApiException)).transform(e -> new TransientApiException(
                what + ": network error: " + e.getMessage(), 0, null)).map(response -> {
            int status = response.statusCode();
            attempted(target, String.valueOf(status));
            if (status == 429) {
                throw new TransientApiException(what + " answered 429 (rate limited)", status, serverWait(response));
            }
            if (status >= 500) {
                throw new TransientApiException(what + " answered " + status + ": " + summary(response), status, null);
            }
            if (status >= 400) {
                throw new ApiException(what + " answered " + status + ": " + summary(response), status);
            }
            return response;
        });
    }

    /** An API's client-side token bucket and how many calls it has let through. */
    private record Throttle(ApiTarget target, Bucket bucket, LongAdder sent) {
    }

    /**
     * How much of an API's rate limit is in use, for the console's campaign view.
     *
     * @param sent   calls let through since start (the console turns two readings into calls per second)
     * @param queued calls waiting for the limit right now: above zero, the limit is what holds the work back
     */
    public record Budget(String api, String tenant, double perSecond, int burst, long sent, long queued) {
    }

    /** Every API this service has called, with its limit and use. */
    public List<Budget> budgets() {
        return throttles.values().stream()
                .map(t -> new Budget(t.target().api(), t.target().tenant(), t.target().rateLimit().perSecond(),
                        t.target().rateLimit().burst(), t.sent().sum(), Math.max(0, -t.bucket().getAvailableTokens())))
                .sorted(java.util.Comparator.comparing(Budget::api).thenComparing(Budget::tenant))
                .toList();
    }

    /** Waits for a token of the API's client-side bucket (a reservation: callers queue in order). */
    private Uni<Void> throttle(ApiTarget target) {
        Throttle throttle = throttles.computeIfAbsent(target.key(), key -> {
            ClientsConfig.RateLimit limit = target.rateLimit();
            long refillNanos = Math.max(1, Math.round(1_000_000_000d / limit.perSecond()));
            return new Throttle(target, Bucket.builder().addLimit(Bandwidth.builder().capacity(limit.burst())
                    .refillGreedy(1, Duration.ofNanos(refillNanos)).build()).build(), new LongAdder());
        });
        long waitNanos = throttle.bucket().consumeIgnoringRateLimits(1);
        throttle.sent().increment();
        registry.timer("relink.api.rate.limit.wait", "api", target.api()).record(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        return waitNanos <= 0 ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(waitNanos));
    }

    /** One HTTP attempt (retries count again): {@code relink_api_attempts_total{api, status}}, status "network" for no answer. */
    private void attempted(ApiTarget target, String status) {
        registry.counter("relink.api.attempts", "api", target.api(), "status", status).increment();
    }

    private TypedGuard<Uni<HttpResponse<Buffer>>> guard(ApiTarget target) {
        return guards.computeIfAbsent(target.key(), key -> TypedGuard.create(RESPONSE)
                .withDescription(key)
                .withRetry()
                .maxRetries(Math.max(0, config.maxAttempts() - 1))
                .maxDuration(config.maxRetryDuration().toMillis(), ChronoUnit.MILLIS)
                .delay(config.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .retryOn(TransientApiException.class)
                .withCustomBackoff().strategy(Backoff::new).done()
                .beforeRetry(e -> LOG.debugf("%s: retrying after %s", key, e.getMessage()))
                .done()
                .withCircuitBreaker()
                .name("relink-" + key)
                .requestVolumeThreshold(config.circuitBreaker().requestVolume())
                .failureRatio(config.circuitBreaker().failureRatio())
                .delay(config.circuitBreaker().openFor().toMillis(), ChronoUnit.MILLIS)
                .when(e -> e instanceof TransientApiException t && !t.throttled())
                .done()
                .build());
    }

    /** The server's wait hint on a 429: Retry-After (seconds) or X-RateLimit-Reset (an ISO-8601 instant). */
    private static Duration serverWait(HttpResponse<Buffer> response) {
        String retryAfter = response.getHeader("Retry-After");
        if (retryAfter != null) {
            try {
                return Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
            } catch (NumberFormatException ignored) {
                // an HTTP-date: fall through to the other hint
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
        return null;
    }

    private static String summary(HttpResponse<Buffer> response) {
        String text = response.bodyAsString();
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Exponential back-off with up to 20% jitter before the given retry (1 = the first). */
    private Duration backoff(int retry) {
        long base = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() << Math.min(retry - 1, 20));
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 5 + 1));
    }

    /** One instance per guarded call: exponential back-off with jitter. */
    private final class Backoff implements CustomBackoffStrategy {
        private int retries;

        @Override
        public long nextDelayInMillis(Throwable failure) {
            return backoff(++retries).toMillis();
        }
    }
}
