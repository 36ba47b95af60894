package io.relink.support.config;

import io.smallrye.config.EnvConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Secrets from files, the Docker and Kubernetes way: {@code RELINK_GRAPH_CLIENT_SECRET_FILE=/run/secrets/graph} makes
 * the file's content (surrounding whitespace removed) the value of {@code RELINK_GRAPH_CLIENT_SECRET}, which the
 * configuration reads as if it were set in the environment (the same names: {@code RELINK_CLIENTS_GRAPH_TOKEN_FILE}
 * sets {@code relink.clients.graph.token}). Works for every {@code RELINK_*} variable (a named
 * connection's credentials too, when their variables start with {@code RELINK_}). Setting both a
 * variable and its {@code _FILE} twin, or naming a file that cannot be read, stops the service at start with a message
 * naming the variable (never the value).
 */
public class SecretFilesConfigSource extends EnvConfigSource {

    static final String PREFIX = "RELINK_";
    static final String SUFFIX = "_FILE";
    /** Settings whose value is a file's location by design, not a secret to read. */
    static final Set<String> LOCATIONS = Set.of("RELINK_PG_CA_FILE");
    /** Just below the environment (300): the environment's own variables are checked against these for conflicts. */
    private static final int ORDINAL = 295;

    public SecretFilesConfigSource() {
        this(System.getenv());
    }

    SecretFilesConfigSource(Map<String, String> environment) {
        super(read(environment), ORDINAL);
    }

    private static Map<String, String> read(Map<String, String> environment) {
        Map<String, String> read = new HashMap<>();
        environment.forEach((name, location) -> {
            if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || name.length() <= PREFIX.length() + SUFFIX.length()
                    || LOCATIONS.contains(name) || location == null || location.isBlank()) {
                return;
            }
            String variable = name.substring(0, name.length() - SUFFIX.length());
            if (environment.containsKey(variable)) {
                throw new IllegalStateException("Both " + variable + " and " + name + " are set: set one of them");
            }
            try {
                read.put(variable, Files.readString(Path.of(location), StandardCharsets.UTF_8).strip());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(name + " names a file that cannot be read (" + location + "): "
                        + e.getClass().getSimpleName(), e instanceof IOException io ? new UncheckedIOException(io) : e);
            }
        });
        return read;
    }

    @Override
    public String getName() {
        return "RELINK_*_FILE secret files";
    }

}
