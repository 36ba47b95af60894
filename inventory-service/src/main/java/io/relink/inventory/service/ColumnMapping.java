package io.relink.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
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
 * required; without {@code columns.externalId} the normalized email is the key. For JSON, a column is a key of each
 * record or a JSON pointer into it ({@code "/name/givenName"}), and {@code records} names the array of records
 * in the top-level object (or in each of a list of pages); without it the file is one array of records.
 */
public record ColumnMapping(SourceKind kind, Map<String, String> columns, Set<String> activeValues, String records) {

    static final List<String> FIELDS = List.of("externalId", "email", "userPrincipalName", "displayName", "active",
            "userType", "authPolicy", "givenName", "surname", "employeeId");
    private static final Set<String> DEFAULT_ACTIVE = Set.of("active", "true", "yes", "1", "enabled");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One record as an identity: {@code value} gives a mapped field's raw value (null when absent or empty). Errors
     * name the record's own column, so the admin finds them in the file.
     */
    ParsedIdentity toIdentity(java.util.function.Function<String, String> value, long line, InputErrors errors) {
        String email = value.apply("email");
        String emailNormalized = Addresses.normalize(email);
        if (emailNormalized != null && !Addresses.isPlausible(emailNormalized)) {
            errors.add(line, columns.get("email"), "Not an email address: '" + email + "'");
            return null;
        }
        String upn = value.apply("userPrincipalName");
        String upnNormalized = Addresses.normalize(upn);
        String id = value.apply("externalId");
        if (id == null && columns.containsKey("externalId")) {
            errors.add(line, columns.get("externalId"), "The identity key is empty");
            return null;
        }
        if (id == null) {
            id = emailNormalized != null ? emailNormalized : upnNormalized;
        }
        if (id == null) {
            errors.add(line, columns.getOrDefault("email", columns.get("userPrincipalName")),
                    "Record has neither an email nor a userPrincipalName");
            return null;
        }
        String activeValue = value.apply("active");
        boolean active = activeValue == null || activeValues.contains(activeValue.toLowerCase(Locale.ROOT));
        String userType = kind == SourceKind.ENTRA ? IdentityDetails.userType(value.apply("userType"), upnNormalized)
                : value.apply("userType");
        Identity.Details details = switch (kind) {
            case ATLASSIAN -> IdentityDetails.atlassian(emailNormalized, null);
            case ENTRA -> IdentityDetails.entra(emailNormalized, upnNormalized, userType, value.apply("givenName"),
                    value.apply("surname"), value.apply("employeeId"), null);
            case SCIM -> IdentityDetails.scim(emailNormalized, null, null);
        };
        return new ParsedIdentity(line, new Identity(id, value.apply("displayName"), email, emailNormalized, upn,
                upnNormalized, List.of(), active, userType, value.apply("authPolicy"), List.of(), details));
    }

    public static ColumnMapping parse(String json) {
        if (json == null || json.isBlank()) {
            throw InvalidInputException.of(null, null, "mapping", "Formats csv and json need a column mapping (--mapping FILE)");
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
        String records = root.hasNonNull("records") ? root.get("records").asText().strip() : null;
        return new ColumnMapping(kind, Map.copyOf(columns), active, records == null || records.isEmpty() ? null : records);
    }
}
