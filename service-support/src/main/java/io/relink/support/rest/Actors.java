package io.relink.support.rest;

import java.util.List;

/**
 * Who asked: the {@code X-Relink-Actor} header, set by the CLI ({@code RELINK_ACTOR} or {@code $USER}) and the
 * console, and recorded with every decision. (Authentication and roles are not built yet; until then this is what
 * the caller says.)
 */
public final class Actors {

    public static final String HEADER = "X-Relink-Actor";
    private static final int MAX_LENGTH = 200;

    private Actors() {
    }

    /** The actor, or a placeholder that says nobody was named. */
    public static String orAnonymous(String header) {
        return header == null || header.isBlank() ? "anonymous-operator" : trim(header);
    }

    /** The actor; refused when missing (decisions about people must say who made them). */
    public static String required(String header) {
        if (header == null || header.isBlank()) {
            throw new InvalidInputException(400, "Say who decides: the " + HEADER + " header is required",
                    List.of(new Problem.InputError(null, null, HEADER, "is required")));
        }
        return trim(header);
    }

    private static String trim(String header) {
        String actor = header.strip();
        return actor.length() > MAX_LENGTH ? actor.substring(0, MAX_LENGTH) : actor;
    }
}
