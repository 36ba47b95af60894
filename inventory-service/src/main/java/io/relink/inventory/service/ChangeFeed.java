package io.relink.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.events.SourceKind;
import io.relink.inventory.config.InventoryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Identity changes from an external Kafka topic (an HR system's or an IdP's change feed) as one more kind of source.
 * Each record is one JSON object (or a CloudEvents structured envelope whose {@code data} is one):
 *
 * <pre>
 * {"source": "hr-workday", "kind": "ENTRA", "op": "upsert", "id": "E1234", "displayName": "Ada Lovelace",
 *  "email": "ada@acme.example", "userPrincipalName": "ada@acme.example", "aliases": ["ada@old.example"],
 *  "active": true, "userType": "Member"}
 * {"source": "hr-workday", "op": "delete", "id": "E1234"}
 * </pre>
 *
 * {@code source} (a Relink source name), {@code op} ({@code upsert} or {@code delete}) and {@code id} (stable per
 * person) are required, and {@code email} on an upsert; {@code kind} is {@code ENTRA} (the identity-provider side,
 * the default) or {@code ATLASSIAN}; an upsert replaces the whole identity. A poll's changes become each source's
 * next snapshot: its current identities with the changes applied (the last change of an id wins), through the same
 * diff and events as an upload. Applying the same changes again changes nothing, so a redelivery is harmless.
 */
@ApplicationScoped
public class ChangeFeed {

    /** One change, read and checked. */
    public record Change(String source, SourceKind kind, boolean delete, String id, Identity identity) {
    }

    /** A record that is not a valid change: which field, and why. */
    public static final class InvalidChange extends RuntimeException {
        public InvalidChange(String field, String reason) {
            super(field + ": " + reason);
        }
    }

    private final ObjectMapper json;
    private final IngestService ingest;
    private final InventoryConfig config;

    public ChangeFeed(ObjectMapper json, IngestService ingest, InventoryConfig config) {
        this.json = json;
        this.ingest = ingest;
        this.config = config;
    }

    /** Reads one record; an {@link InvalidChange} names the field that is wrong. */
    public Change read(String value) {
        JsonNode root;
        try {
            root = value == null ? null : json.readTree(value);
        } catch (java.io.IOException e) {
            throw new InvalidChange("(record)", "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root != null && root.has("specversion") && root.has("data")) {
            root = root.get("data"); // a CloudEvents structured envelope
        }
        if (root == null || !root.isObject()) {
            throw new InvalidChange("(record)", "must be a JSON object");
        }
        String source = text(root, "source", true);
        try {
            IngestService.requireSourceName(source);
        } catch (RuntimeException e) {
            throw new InvalidChange("source", e.getMessage());
        }
        String op = text(root, "op", true).toLowerCase(Locale.ROOT);
        String id = text(root, "id", true);
        String kindName = root.hasNonNull("kind") ? text(root, "kind", true).toUpperCase(Locale.ROOT) : SourceKind.ENTRA.name();
        SourceKind kind;
        if (SourceKind.ENTRA.name().equals(kindName) || SourceKind.ATLASSIAN.name().equals(kindName)) {
            kind = SourceKind.valueOf(kindName);
        } else {
            throw new InvalidChange("kind", "must be ENTRA or ATLASSIAN, not '" + kindName + "'");
        }
        switch (op) {
            case "delete" -> {
                return new Change(source, kind, true, id, null);
            }
            case "upsert" -> {
                String email = text(root, "email", true);
                String normalized = Addresses.normalize(email);
                if (!Addresses.isPlausible(normalized)) {
                    throw new InvalidChange("email", "'" + email + "' is not an email address");
                }
                String upn = text(root, "userPrincipalName", false);
                List<String> aliases = new ArrayList<>();
                JsonNode list = root.path("aliases");
                if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
                    throw new InvalidChange("aliases", "must be a list of addresses");
                }
                for (JsonNode alias : list) {
                    String address = Addresses.normalize(alias.asText());
                    if (!Addresses.isPlausible(address)) {
                        throw new InvalidChange("aliases", "'" + alias.asText() + "' is not an email address");
                    }
                    aliases.add(address);
                }
                JsonNode active = root.path("active");
                if (!active.isMissingNode() && !active.isNull() && !active.isBoolean()) {
                    throw new InvalidChange("active", "must be true or false");
                }
                return new Change(source, kind, false, id, new Identity(id, text(root, "displayName", false), email.strip(),
                        normalized, upn, Addresses.normalize(upn), aliases, !active.isBoolean() || active.booleanValue(),
                        text(root, "userType", false), text(root, "authPolicy", false), List.of()));
            }
            default -> throw new InvalidChange("op", "must be upsert or delete, not '" + op + "'");
        }
    }

    /** Applies one source's changes (all of one kind) to its current identities as its next snapshot. */
    public Uni<SnapshotReport> apply(String source, SourceKind kind, List<Change> changes) {
        return ingest.ingestOnCurrent(source, SourceFormat.CHANGE_FEED, kind, SourceFormat.CHANGE_FEED.id(), current -> {
            Map<String, Identity> byId = new LinkedHashMap<>();
            current.forEach(identity -> byId.put(identity.externalId(), identity));
            for (Change change : changes) {
                if (change.delete()) {
                    byId.remove(change.id());
                } else {
                    byId.put(change.id(), change.identity());
                }
            }
            return List.copyOf(byId.values());
        });
    }

    private String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || node.asText().isBlank()) {
            if (required) {
                throw new InvalidChange(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidChange(field, "must be a string");
        }
        if (node.asText().length() > config.maxFieldLength()) {
            throw new InvalidChange(field, "is longer than " + config.maxFieldLength() + " characters");
        }
        return node.asText().strip();
    }
}
