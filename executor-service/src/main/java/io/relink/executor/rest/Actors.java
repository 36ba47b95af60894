package io.relink.executor.rest;

/** Who asked: the {@code X-Relink-Actor} header (set by the CLI and the console), recorded in the audit trail. */
final class Actors {

    static final String HEADER = "X-Relink-Actor";
    private static final int MAX_LENGTH = 200;

    private Actors() {
    }

    static String of(String header) {
        if (header == null || header.isBlank()) {
            return "anonymous-operator";
        }
        String actor = header.strip();
        return actor.length() > MAX_LENGTH ? actor.substring(0, MAX_LENGTH) : actor;
    }
}
