package io.relink.inventory.client;

/** A vendor API refused a call for good (4xx other than 429) or kept failing after every retry. */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
