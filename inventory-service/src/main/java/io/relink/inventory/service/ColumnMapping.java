package io.relink.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.SourceKind;
import io.relink.support.rest.InvalidInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a generic CSV's columns map onto identity fields, for exports Relink has no built-in format for (an HR
 * system, another IdP). Given as JSON, e.g.
 * <pre>{"kind":"entra","columns":{"externalId":"Employee ID","email":"Work Email","userPrincipalName":"Login",
 *  "displayName":"Name","active":"Status"},"activeValues":["active","enabled"]}</pre>
 * {@code kind} is atlassian, entra or scim; {@code columns.email} or {@code columns.userPrincipalName} is
 * required; without {@code columns.externalId} the normalized email is the key.
 */
public record ColumnMapping(SourceKind kind, Map<String, String> columns, Set<String> activeValues) {

    static final List<String> FIELDS = List.of("externalId", "email", "userPrincipalName", "displayName", "active",
            "userType", "authPolicy", "givenName", "surname", "employeeId");
    private static final Set<String> DEFAULT_ACTIVE = Set.of("active", "true", "yes", "1", "enabled");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ColumnMapping parse(String json) {
        if (json == null || json.isBlank()) {
            throw InvalidInputException.of(null, null, "mapping", "Format csv needs a column mapping (--mapping FILE)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw InvalidInputException.of("mapping", null, "mapping", "The mapping is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw InvalidInputException.of("mapping", null, "mapping", "The mapping must be a JSON object");
        }
        SourceKind kind;
        try {
            kind = SourceKind.valueOf(root.path("kind").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("mapping", null, "kind", "kind must be atlassian, entra or scim, not '"
                    + root.path("kind").asText("") + "'");
        }
        JsonNode columnsNode = root.path("columns");
        if (!columnsNode.isObject()) {
            throw InvalidInputException.of("mapping", null, "columns", "columns must map identity fields to CSV column names");
        }
        Map<String, String> columns = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        columnsNode.fields().forEachRemaining(e -> {
            if (!FIELDS.contains(e.getKey())) {
                unknown.add(e.getKey());
            } else if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                unknown.add(e.getKey() + " (needs a column name)");
            } else {
                columns.put(e.getKey(), e.getValue().asText().strip());
            }
        });
        if (!unknown.isEmpty()) {
            throw InvalidInputException.of("mapping", null, "columns", "Unknown or empty fields " + unknown + "; known: " + FIELDS);
        }
        if (!columns.containsKey("email") && !columns.containsKey("userPrincipalName")) {
            throw InvalidInputException.of("mapping", null, "columns", "Map at least email or userPrincipalName");
        }
        Set<String> active = DEFAULT_ACTIVE;
        if (root.has("activeValues")) {
            List<String> values = new ArrayList<>();
            root.path("activeValues").forEach(v -> values.add(v.asText().strip().toLowerCase(Locale.ROOT)));
            active = Set.copyOf(values);
        }
        return new ColumnMapping(kind, Map.copyOf(columns), active);
    }
}
