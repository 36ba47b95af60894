package io.relink.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a saved Microsoft Graph {@code GET /v1.0/users} response ({@code {"value":[user, ...]}}),
 * streaming: one user object is in memory at a time.
 */
@ApplicationScoped
public class GraphUsersJsonParser implements SnapshotParser {

    private static final String SECONDARY_SMTP = "smtp:";

    private final InventoryConfig config;
    private final ObjectMapper mapper;

    public GraphUsersJsonParser(InventoryConfig config) {
        this.config = config;
        this.mapper = JsonPages.mapper(config);
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        JsonPages.read(file, errors, mapper, "value", "a Graph /users response: a JSON object with a \"value\" array, "
                + "or a list of such pages", (user, line, path) -> {
            ParsedIdentity identity = toIdentity(user, line, path, errors);
            if (identity != null) {
                sink.add(identity);
            }
            return true;
        });
        errors.finish(sink.count(), "value", "The response contains no users");
    }

    /** One Graph user object as a normalized identity; shared by file uploads and API pulls. */
    static ParsedIdentity toIdentity(JsonNode user, long line, String path, InputErrors errors) {
        String id = JsonPages.text(user, "id");
        if (id == null) {
            errors.add(line, path + ".id", "User has no id (the Entra object id)");
            return null;
        }
        String upn = JsonPages.text(user, "userPrincipalName");
        if (upn == null) {
            errors.add(line, path + ".userPrincipalName", "User " + id + " has no userPrincipalName");
            return null;
        }
        String mail = JsonPages.text(user, "mail");
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
        List<String> otherMails = new ArrayList<>();
        JsonNode others = user.get("otherMails");
        if (others != null && others.isArray()) {
            for (JsonNode other : others) {
                String address = Addresses.normalize(other.asText(""));
                if (Addresses.isPlausible(address)) {
                    otherMails.add(address);
                }
            }
        }
        String upnNormalized = Addresses.normalize(upn);
        String userType = IdentityDetails.userType(JsonPages.text(user, "userType"), upnNormalized);
        boolean active = enabled == null || enabled.isNull() || enabled.booleanValue();
        return new ParsedIdentity(line, new Identity(id, JsonPages.text(user, "displayName"), mail, mailNormalized, upn,
                upnNormalized, secondary, active, userType, null, otherMails,
                IdentityDetails.entra(mailNormalized, upnNormalized, userType, JsonPages.text(user, "givenName"),
                        JsonPages.text(user, "surname"), JsonPages.text(user, "employeeId"), JsonPages.text(user, "onPremisesImmutableId"))));
    }

}
