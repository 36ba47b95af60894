package io.relink.support.client;

/**
 * A vendor API refused a call for good (4xx other than 429), or kept failing after every retry.
 * {@link #errorClass()} is the short, stable name operators filter dead letters by.
 */
public class ApiException extends RuntimeException {

    public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";

    private final int status;
    private final String errorClass;
    private int attempts = 1;

    public ApiException(String message, int status) {
        this(message, status, classify(status));
    }

    public ApiException(String message, int status, String errorClass) {
        super(message);
        this.status = status;
        this.errorClass = errorClass;
    }

    /** HTTP status of the last answer; 0 when there was none (network error, timeout, open circuit). */
    public int status() {
        return status;
    }

    public String errorClass() {
        return errorClass;
    }

    /**
     * The API's circuit breaker was open: the call (or its remaining attempts) was not sent because the API has been
     * failing for everybody. Not a failure of what the call was about: try again once the circuit closes.
     */
    public boolean callsPaused() {
        return CIRCUIT_OPEN.equals(errorClass);
    }

    /** How many times the call was sent before it failed for good (retries included). */
    public int attempts() {
        return attempts;
    }

    ApiException withAttempts(int count) {
        this.attempts = Math.max(1, count);
        return this;
    }

    static String classify(int status) {
        if (status == 429) {
            return "RATE_LIMITED";
        }
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status == 401 || status == 403) {
            return "UNAUTHORIZED";
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        if (status >= 400) {
            return "REJECTED";
        }
        return status == 0 ? "NETWORK" : "UNEXPECTED_RESPONSE";
    }
}
