package io.relink.simulator;

/** Thrown by a handler to answer with the API's own error format. */
public final class ApiError extends RuntimeException {

    public final int status;
    public final String code;

    public ApiError(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }
}
