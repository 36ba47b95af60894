package io.relink.support.messaging;

import io.relink.events.EventCodec;
import io.vertx.pgclient.PgException;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells an infrastructure failure (worth retrying until it clears) from one the event itself causes. PostgreSQL
 * says which through the SQLSTATE class: 08 connection, 40 rollback (deadlock, serialization), 53 insufficient
 * resources, 57 operator intervention (e.g. the server shutting down), 55P03 lock not available.
 */
public final class ConsumerFailures {

    private static final Set<String> TRANSIENT_SQLSTATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    private ConsumerFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EventCodec.MalformedEventException) {
                return false;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String sqlState = pg.getSqlState();
                return TRANSIENT_SQLSTATE_CLASSES.contains(sqlState.substring(0, Math.min(2, sqlState.length())))
                        || "55P03".equals(sqlState);
            }
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof java.net.ConnectException) {
                return true;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            // Vert.x and the reactive pool say so in words when a connection or the pool goes away (shutdown).
            if (message.contains("connection") && (message.contains("closed") || message.contains("refused")
                    || message.contains("reset")) || message.contains("pool closed") || message.contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return failure == root ? String.valueOf(failure) : failure + " (cause: " + root + ")";
    }
}
