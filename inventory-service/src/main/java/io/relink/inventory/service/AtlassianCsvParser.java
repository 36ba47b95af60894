package io.relink.inventory.service;

import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Atlassian's "Export managed accounts" CSV. The normalized email is the identity key, as the
 * export carries no account id.
 */
@ApplicationScoped
public class AtlassianCsvParser implements SnapshotParser {

    static final String NAME = "Name";
    static final String EMAIL = "Email";
    static final String STATUS = "Status";
    static final String POLICY = "Policy name";

    /** Accepted header spellings per column. */
    private static final Map<String, List<String>> ALIASES = Map.of(
            NAME, List.of("name", "full name", "display name"),
            EMAIL, List.of("email", "email address", "e-mail"),
            STATUS, List.of("status", "account status"),
            POLICY, List.of("policy name", "authentication policy", "policy"));
    private static final List<String> REQUIRED = List.of(EMAIL, STATUS);

    private final InventoryConfig config;

    public AtlassianCsvParser(InventoryConfig config) {
        this.config = config;
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        CsvTable.read(file, errors, config, ALIASES, REQUIRED, (line, row) -> {
            String email = row.get(EMAIL);
            String normalized = Addresses.normalize(email);
            if (!Addresses.isPlausible(normalized)) {
                errors.add(line, EMAIL, email == null ? "Email is empty" : "Not an email address: '" + email + "'");
                return true;
            }
            Boolean active = parseStatus(row.get(STATUS));
            if (active == null) {
                errors.add(line, STATUS, "Unknown status '" + row.get(STATUS) + "'; expected Active or Deactivated");
                return true;
            }
            sink.add(new ParsedIdentity(line, new Identity(normalized, row.get(NAME), email, normalized,
                    null, null, List.of(), active, null, row.get(POLICY), List.of(),
                    IdentityDetails.atlassian(normalized, null))));
            return true;
        });
        errors.finish(sink.count(), null, "The file has a header but no accounts");
    }

    private static Boolean parseStatus(String status) {
        if (status == null) {
            return null;
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "active" -> true;
            case "deactivated", "inactive", "suspended", "closed" -> false;
            default -> null;
        };
    }
}
