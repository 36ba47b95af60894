package io.relink.inventory.service;

import io.relink.support.rest.InvalidInputException;
import io.relink.support.rest.Problem;

import java.util.ArrayList;
import java.util.List;

/** Collects what is wrong with an upload, so one refusal lists every problem (up to a limit). */
final class InputErrors {

    private final String file;
    private final int limit;
    private final List<Problem.InputError> errors = new ArrayList<>();
    private long total;

    InputErrors(String file, int limit) {
        this.file = file;
        this.limit = limit;
    }

    void add(Long line, String field, String reason) {
        total++;
        if (errors.size() < limit) {
            errors.add(new Problem.InputError(file, line, field, reason));
        }
    }

    boolean isFull() {
        return total >= limit;
    }

    /** Refuses the upload (nothing is persisted) when anything was wrong. */
    void throwIfAny() {
        if (total == 0) {
            return;
        }
        String detail = total == 1 ? errors.get(0).reason()
                : total + " problems in " + file + (total > errors.size() ? " (first " + errors.size() + " listed)" : "");
        throw new InvalidInputException(detail + "; nothing was imported", errors);
    }

    /**
     * The end of a file: refuses it when anything was wrong, or when it held no identity at all
     * ({@code emptyField}, {@code emptyReason}; a null reason accepts an empty result).
     */
    void finish(long identitiesRead, String emptyField, String emptyReason) {
        throwIfAny();
        if (identitiesRead == 0 && emptyReason != null) {
            throw fatal(null, emptyField, emptyReason);
        }
    }

    /** Refuses at once for a problem that makes the rest of the file unreadable. */
    InvalidInputException fatal(Long line, String field, String reason) {
        add(line, field, reason);
        String detail = total == 1 ? reason : reason + " (and " + (total - 1) + " earlier problems)";
        return new InvalidInputException(detail + "; nothing was imported", errors);
    }
}
