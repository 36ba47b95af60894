package io.relink.support.client;

import java.time.Duration;
import java.util.Optional;

/** An answer worth retrying: 429 (with the server's wait hint, if any), 5xx, a timeout or a dropped connection. */
public class TransientApiException extends ApiException {

    private final transient Duration retryAfter;

    public TransientApiException(String message, int status, Duration retryAfter) {
        super(message, status);
        this.retryAfter = retryAfter;
    }

    /** The wait the server asked for (Retry-After or X-RateLimit-Reset); empty when it gave none. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** 429: the API is healthy but busy, which must not open the circuit breaker. */
    public boolean throttled() {
        return status() == 429;
    }
}
