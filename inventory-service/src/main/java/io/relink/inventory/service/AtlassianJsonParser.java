package io.relink.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a saved Atlassian organization API users response: {@code {"data":[...]}} or a list of pages, in
 * the v1 shape (account_id, account_status) or the v2 shape (accountId, accountStatus). The API response
 * carries no authentication policy; a pull (atlassian-api) fetches it.
 */
@ApplicationScoped
public class AtlassianJsonParser implements SnapshotParser {

    private final InventoryConfig config;
    private final ObjectMapper mapper;

    public AtlassianJsonParser(InventoryConfig config) {
        this.config = config;
        this.mapper = JsonPages.mapper(config);
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        JsonPages.read(file, errors, mapper, "data", "an Atlassian users response: a JSON object with a \"data\" array, "
                + "or a list of such pages", (user, line, path) -> {
            String id = JsonPages.text(user, "accountId", "account_id");
            String email = JsonPages.text(user, "email");
            String status = JsonPages.text(user, "accountStatus", "account_status");
            String normalized = Addresses.normalize(email);
            if (id == null) {
                errors.add(line, path + ".accountId", "Account without accountId / account_id");
            } else if (!Addresses.isPlausible(normalized)) {
                errors.add(line, path + ".email", email == null ? "Account " + id + " has no email"
                        : "Not an email address: '" + email + "'");
            } else if (status != null && !List.of("active", "inactive", "closed").contains(status)) {
                errors.add(line, path + ".accountStatus", "Unknown account status '" + status + "'");
            } else {
                sink.add(new ParsedIdentity(line, new Identity(id, JsonPages.text(user, "name"), email, normalized,
                        null, null, List.of(), status == null || "active".equals(status), null, null, List.of(),
                        IdentityDetails.atlassian(normalized, JsonPages.text(user, "managementSource")))));
            }
            return true;
        });
        errors.finish(sink.count(), "data", "The response contains no accounts");
    }
}
