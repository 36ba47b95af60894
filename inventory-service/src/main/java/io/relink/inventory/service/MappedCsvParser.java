package io.relink.inventory.service;

import io.relink.events.Identity;
import io.relink.events.SourceKind;
import io.relink.inventory.config.InventoryConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a generic CSV through a {@link ColumnMapping}: same streaming, checks and errors as the built-in formats. */
final class MappedCsvParser implements SnapshotParser {

    private final InventoryConfig config;
    private final ColumnMapping mapping;

    MappedCsvParser(InventoryConfig config, ColumnMapping mapping) {
        this.config = config;
        this.mapping = mapping;
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        // Columns are found by the header names the mapping gives (case-insensitive), so errors name them too.
        Map<String, List<String>> aliases = new java.util.HashMap<>();
        mapping.columns().values().forEach(header -> aliases.put(header, List.of(header)));
        List<String> required = mapping.columns().entrySet().stream()
                .filter(e -> List.of("externalId", "email", "userPrincipalName").contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        CsvTable.read(file, errors, config, aliases, required, (line, values) -> {
            java.util.function.Function<String, String> row = field -> mapping.columns().containsKey(field)
                    ? values.get(mapping.columns().get(field)) : null;
            String email = row.apply("email");
            String emailNormalized = Addresses.normalize(email);
            if (emailNormalized != null && !Addresses.isPlausible(emailNormalized)) {
                errors.add(line, mapping.columns().get("email"), "Not an email address: '" + email + "'");
                return true;
            }
            String upn = row.apply("userPrincipalName");
            String upnNormalized = Addresses.normalize(upn);
            String id = row.apply("externalId");
            if (id == null && mapping.columns().containsKey("externalId")) {
                errors.add(line, mapping.columns().get("externalId"), "The identity key is empty");
                return true;
            }
            if (id == null) {
                id = emailNormalized != null ? emailNormalized : upnNormalized;
            }
            if (id == null) {
                errors.add(line, mapping.columns().getOrDefault("email", mapping.columns().get("userPrincipalName")),
                        "Row has neither an email nor a userPrincipalName");
                return true;
            }
            String activeValue = row.apply("active");
            boolean active = activeValue == null || mapping.activeValues().contains(activeValue.toLowerCase(Locale.ROOT));
            String userType = mapping.kind() == SourceKind.ENTRA ? IdentityDetails.userType(row.apply("userType"), upnNormalized)
                    : row.apply("userType");
            Identity.Details details = switch (mapping.kind()) {
                case ATLASSIAN -> IdentityDetails.atlassian(emailNormalized, null);
                case ENTRA -> IdentityDetails.entra(emailNormalized, upnNormalized, userType, row.apply("givenName"),
                        row.apply("surname"), row.apply("employeeId"), null);
                case SCIM -> IdentityDetails.scim(emailNormalized, null, null);
            };
            sink.add(new ParsedIdentity(line, new Identity(id, row.apply("displayName"), email, emailNormalized, upn,
                    upnNormalized, List.of(), active, userType, row.apply("authPolicy"), List.of(), details)));
            return true;
        });
        errors.finish(sink.count(), null, "The file has a header but no rows");
    }
}
