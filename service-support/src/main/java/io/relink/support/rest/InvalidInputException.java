package io.relink.support.rest;

import java.util.List;

/** Input refused as a whole; nothing was changed. Rendered as 400 (or {@code status}) problem details. */
public class InvalidInputException extends RuntimeException {

    private final int status;
    private final List<Problem.InputError> errors;

    public InvalidInputException(String detail, List<Problem.InputError> errors) {
        this(400, detail, errors);
    }

    public InvalidInputException(int status, String detail, List<Problem.InputError> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static InvalidInputException of(String file, Long line, String field, String reason) {
        return new InvalidInputException(reason, List.of(new Problem.InputError(file, line, field, reason)));
    }

    public int status() {
        return status;
    }

    public List<Problem.InputError> errors() {
        return errors;
    }
}
