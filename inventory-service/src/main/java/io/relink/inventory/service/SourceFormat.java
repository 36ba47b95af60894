package io.relink.inventory.service;

import io.relink.events.SourceKind;
import io.relink.support.rest.InvalidInputException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The file formats a snapshot can be uploaded in, by their CLI / query-parameter names. */
public enum SourceFormat {
    /** Atlassian admin "Export managed accounts" CSV. */
    ATLASSIAN_CSV("atlassian-csv", SourceKind.ATLASSIAN, true),
    /** A saved Atlassian organization API users response (v1 or v2 shape), or a list of pages. */
    ATLASSIAN_JSON("atlassian-json", SourceKind.ATLASSIAN, true),
    /** A saved Microsoft Graph {@code GET /v1.0/users} response, or a list of pages. */
    GRAPH_JSON("graph-json", SourceKind.ENTRA, true),
    /** The Entra admin center's "Download users" CSV. */
    ENTRA_CSV("entra-csv", SourceKind.ENTRA, true),
    /** A saved Atlassian SCIM {@code /Users} response (a SCIM ListResponse), or a list of pages. */
    SCIM_JSON("scim-json", SourceKind.SCIM, true),
    /** Any CSV, read through a column mapping that also names the kind of identities it holds. */
    CSV("csv", null, true),
    /** Any JSON export, read through a column mapping that also names the kind of identities it holds. */
    JSON("json", null, true),
    /** Pulled from the Atlassian organization API (v2 directory users + each user's policy). */
    ATLASSIAN_API("atlassian-api", SourceKind.ATLASSIAN, false),
    /** Pulled from Microsoft Graph {@code /users}. */
    GRAPH_API("graph-api", SourceKind.ENTRA, false),
    /** Pulled from the Atlassian SCIM directory ({@code startIndex}/{@code count} paging), with SCIM-link lookups. */
    SCIM_API("scim-api", SourceKind.SCIM, false),
    /** Incremental pull from Microsoft Graph {@code /users/delta}, continuing from the stored deltaLink. */
    GRAPH_DELTA("graph-delta", SourceKind.ENTRA, false),
    /**
     * Changes read from an external Kafka topic (an HR system's or an IdP's change feed, see {@link ChangeFeed}); each
     * change names its kind. Neither uploaded nor pulled: {@code fromId} never returns it.
     */
    CHANGE_FEED("change-feed", null, false);

    private final String id;
    private final SourceKind kind;
    private final boolean file;

    SourceFormat(String id, SourceKind kind, boolean file) {
        this.id = id;
        this.kind = kind;
        this.file = file;
    }

    public String id() {
        return id;
    }

    /** The kind of identities the format brings; null for {@link #CSV} and {@link #JSON}, where the mapping says. */
    public SourceKind kind() {
        return kind;
    }

    /** @param file true for an upload's format, false for a pull's origin */
    public static SourceFormat fromId(String id, boolean file, String field) {
        return Arrays.stream(values()).filter(f -> f != CHANGE_FEED && f.file == file && f.id.equals(id)).findFirst()
                .orElseThrow(() -> InvalidInputException.of(null, null, field,
                        "Unknown " + field + " '" + id + "'; expected one of " + Arrays.stream(values())
                                .filter(f -> f != CHANGE_FEED && f.file == file).map(SourceFormat::id).collect(Collectors.joining(", "))));
    }
}
