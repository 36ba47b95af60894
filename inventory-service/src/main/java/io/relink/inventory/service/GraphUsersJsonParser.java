package io.relink.inventory.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a saved Microsoft Graph {@code GET /v1.0/users} response ({@code {"value":[user, ...]}}),
 * streaming: one user object is in memory at a time.
 */
@ApplicationScoped
public class GraphUsersJsonParser {

    private static final String SECONDARY_SMTP = "smtp:";

    private final InventoryConfig config;
    private final ObjectMapper mapper;

    public GraphUsersJsonParser(InventoryConfig config) {
        this.config = config;
        this.mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(config.maxFieldLength()).build());
    }

    public ParseResult parse(Path file, String fileName) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        try (Reader reader = TextInput.open(file, errors); JsonParser json = mapper.getFactory().createParser(reader)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw errors.fatal(line(json), null, "Expected a Graph /users response: a JSON object with a \"value\" array");
            }
            List<ParsedIdentity> identities = null;
            List<ParseResult.Duplicate> duplicates = new ArrayList<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken token = json.nextToken();
                if ("value".equals(field)) {
                    if (token != JsonToken.START_ARRAY) {
                        throw errors.fatal(line(json), "value", "\"value\" must be an array of users");
                    }
                    identities = readUsers(json, errors, duplicates);
                } else {
                    json.skipChildren();
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
                throw errors.fatal(line(json), null, "Unexpected content after the response object");
            }
            if (identities == null) {
                throw errors.fatal(null, "value", "The response has no \"value\" array of users");
            }
            errors.throwIfAny();
            if (identities.isEmpty()) {
                throw errors.fatal(null, "value", "The response contains no users");
            }
            return new ParseResult(identities, duplicates);
        } catch (JsonProcessingException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text");
            }
            Long line = e.getLocation() == null ? null : (long) e.getLocation().getLineNr();
            throw errors.fatal(line, null, "Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text");
            }
            throw errors.fatal(null, null, "The file cannot be read: " + e.getMessage());
        }
    }

    private List<ParsedIdentity> readUsers(JsonParser json, InputErrors errors, List<ParseResult.Duplicate> duplicates)
            throws IOException {
        List<ParsedIdentity> identities = new ArrayList<>();
        Map<String, Long> firstLineById = new HashMap<>();
        int index = 0;
        while (json.nextToken() != JsonToken.END_ARRAY) {
            long line = line(json);
            if (json.currentToken() != JsonToken.START_OBJECT) {
                throw errors.fatal(line, "value[" + index + "]", "Each user must be a JSON object");
            }
            JsonNode user = mapper.readTree(json);
            ParsedIdentity identity = toIdentity(user, line, "value[" + index + "]", errors);
            index++;
            if (identity == null) {
                if (errors.isFull()) {
                    break;
                }
                continue;
            }
            Long first = firstLineById.putIfAbsent(identity.identity().externalId(), line);
            if (first != null) {
                duplicates.add(new ParseResult.Duplicate(line, identity.identity().externalId(), first));
            } else {
                identities.add(identity);
            }
        }
        return identities;
    }

    /** One Graph user object as a normalized identity; shared by file uploads and API pulls. */
    static ParsedIdentity toIdentity(JsonNode user, long line, String path, InputErrors errors) {
        String id = text(user, "id");
        if (id == null) {
            errors.add(line, path + ".id", "User has no id (the Entra object id)");
            return null;
        }
        String upn = text(user, "userPrincipalName");
        if (upn == null) {
            errors.add(line, path + ".userPrincipalName", "User " + id + " has no userPrincipalName");
            return null;
        }
        String mail = text(user, "mail");
        String mailNormalized = Addresses.normalize(mail);
        if (mailNormalized != null && !Addresses.isPlausible(mailNormalized)) {
            errors.add(line, path + ".mail", "Not an email address: '" + mail + "'");
            return null;
        }
        JsonNode enabled = user.get("accountEnabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            errors.add(line, path + ".accountEnabled", "accountEnabled must be true or false, not " + enabled);
            return null;
        }
        List<String> secondary = new ArrayList<>();
        JsonNode proxies = user.get("proxyAddresses");
        if (proxies != null && proxies.isArray()) {
            for (JsonNode proxy : proxies) {
                String value = proxy.asText("");
                // "SMTP:" (upper case) is the primary address, "smtp:" a secondary alias.
                if (value.startsWith(SECONDARY_SMTP)) {
                    String alias = Addresses.normalize(value.substring(SECONDARY_SMTP.length()));
                    if (Addresses.isPlausible(alias)) {
                        secondary.add(alias);
                    }
                }
            }
        }
        String userType = text(user, "userType");
        boolean active = enabled == null || enabled.isNull() || enabled.booleanValue();
        return new ParsedIdentity(line, new Identity(id, text(user, "displayName"), mail, mailNormalized, upn,
                Addresses.normalize(upn), secondary, active,
                userType == null ? null : userType.substring(0, 1).toUpperCase(Locale.ROOT) + userType.substring(1), null));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    private static long line(JsonParser json) {
        return json.currentLocation().getLineNr();
    }
}
