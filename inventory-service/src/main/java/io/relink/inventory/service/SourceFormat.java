package io.relink.inventory.service;

import io.relink.events.SourceKind;
import io.relink.support.rest.InvalidInputException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The file formats a snapshot can be uploaded in, by their CLI / query-parameter names. */
public enum SourceFormat {
    /** Atlassian admin "Export managed accounts" CSV. */
    ATLASSIAN_CSV("atlassian-csv", SourceKind.ATLASSIAN),
    /** A saved Microsoft Graph {@code GET /v1.0/users} response. */
    GRAPH_JSON("graph-json", SourceKind.ENTRA);

    private final String id;
    private final SourceKind kind;

    SourceFormat(String id, SourceKind kind) {
        this.id = id;
        this.kind = kind;
    }

    public String id() {
        return id;
    }

    public SourceKind kind() {
        return kind;
    }

    public static SourceFormat fromId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst()
                .orElseThrow(() -> InvalidInputException.of(null, null, "format",
                        "Unknown format '" + id + "'; expected one of " + Arrays.stream(values())
                                .map(SourceFormat::id).collect(Collectors.joining(", "))));
    }
}
