package io.relink.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a saved Atlassian SCIM {@code GET /scim/directory/{id}/Users} response ({@code {"Resources":[...]}}, a SCIM
 * 2.0 ListResponse) or a list of such pages: the users the IdP already provisioned, each with the {@code externalId}
 * the IdP set (Entra: the object id) and the Atlassian account it is linked to.
 */
@ApplicationScoped
public class ScimUsersJsonParser implements SnapshotParser {

    /** Atlassian's SCIM extension carrying the linked account. */
    static final String ATLASSIAN_EXTENSION = "urn:scim:schemas:extension:atlassian-external:1.0";

    private final InventoryConfig config;
    private final ObjectMapper mapper;

    public ScimUsersJsonParser(InventoryConfig config) {
        this.config = config;
        this.mapper = JsonPages.mapper(config);
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        JsonPages.read(file, errors, mapper, "Resources", "a SCIM ListResponse: a JSON object with a \"Resources\" array, "
                + "or a list of such pages", (user, line, path) -> {
            ParsedIdentity identity = toIdentity(user, line, path, errors);
            if (identity != null) {
                sink.add(identity);
            }
            return true;
        });
        errors.finish(sink.count(), "Resources", "The response contains no users");
    }

    /** One SCIM user as a normalized identity; shared by file uploads and API pulls. */
    static ParsedIdentity toIdentity(JsonNode user, long line, String path, InputErrors errors) {
        String id = JsonPages.text(user, "id");
        if (id == null) {
            errors.add(line, path + ".id", "SCIM user has no id");
            return null;
        }
        String userName = JsonPages.text(user, "userName");
        if (userName == null) {
            errors.add(line, path + ".userName", "SCIM user " + id + " has no userName");
            return null;
        }
        String email = primaryEmail(user.get("emails"));
        String emailNormalized = Addresses.normalize(email);
        if (emailNormalized != null && !Addresses.isPlausible(emailNormalized)) {
            errors.add(line, path + ".emails", "Not an email address: '" + email + "'");
            return null;
        }
        JsonNode active = user.get("active");
        if (active != null && !active.isNull() && !active.isBoolean()) {
            errors.add(line, path + ".active", "active must be true or false, not " + active);
            return null;
        }
        JsonNode extension = user.path(ATLASSIAN_EXTENSION);
        String displayName = JsonPages.text(user, "displayName");
        if (displayName == null) {
            displayName = JsonPages.text(user.path("name"), "formatted");
        }
        return new ParsedIdentity(line, new Identity(id, displayName, email, emailNormalized, userName,
                Addresses.normalize(userName), List.of(), active == null || active.isNull() || active.booleanValue(), null, null,
                List.of(), IdentityDetails.scim(emailNormalized, JsonPages.text(user, "externalId"),
                        JsonPages.text(extension, "atlassianAccountId"))));
    }

    /** The address SCIM links the user by: its primary email, else its userName. */
    static String linkAddress(JsonNode user) {
        String email = primaryEmail(user.get("emails"));
        return email != null ? email : JsonPages.text(user, "userName");
    }

    /** The {@code primary} address, else the {@code work} one, else the first. */
    private static String primaryEmail(JsonNode emails) {
        if (emails == null || !emails.isArray() || emails.isEmpty()) {
            return null;
        }
        JsonNode chosen = null;
        for (JsonNode email : emails) {
            if (email.path("primary").asBoolean(false)) {
                return JsonPages.text(email, "value");
            }
            if (chosen == null && "work".equals(email.path("type").asText())) {
                chosen = email;
            }
        }
        return JsonPages.text(chosen != null ? chosen : emails.get(0), "value");
    }
}
