package io.relink.inventory.service;

import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Microsoft Entra admin center's "Download users" CSV (columns userPrincipalName, displayName,
 * surname, mail, givenName, objectId, userType, accountEnabled, ...). The Microsoft 365 admin center's
 * spellings ("User principal name", "Object ID", ...) are accepted too. proxyAddresses are not in this
 * export: a Graph pull gives more evidence than a file.
 */
@ApplicationScoped
public class EntraCsvParser implements SnapshotParser {

    static final String OBJECT_ID = "objectId";
    static final String UPN = "userPrincipalName";
    static final String MAIL = "mail";
    static final String DISPLAY_NAME = "displayName";
    static final String USER_TYPE = "userType";
    static final String ENABLED = "accountEnabled";
    static final String GIVEN_NAME = "givenName";
    static final String SURNAME = "surname";
    static final String EMPLOYEE_ID = "employeeId";

    private static final Map<String, List<String>> ALIASES = Map.of(
            OBJECT_ID, List.of("objectId", "object id", "id"),
            UPN, List.of("userPrincipalName", "user principal name"),
            MAIL, List.of("mail", "email", "primary email"),
            DISPLAY_NAME, List.of("displayName", "display name"),
            USER_TYPE, List.of("userType", "user type"),
            ENABLED, List.of("accountEnabled", "account enabled"),
            GIVEN_NAME, List.of("givenName", "given name", "first name"),
            SURNAME, List.of("surname", "last name"),
            EMPLOYEE_ID, List.of("employeeId", "employee id"));
    private static final List<String> REQUIRED = List.of(OBJECT_ID, UPN);

    private final InventoryConfig config;

    public EntraCsvParser(InventoryConfig config) {
        this.config = config;
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        CsvTable.read(file, errors, config, ALIASES, REQUIRED, (line, row) -> {
            String id = row.get(OBJECT_ID);
            String upn = row.get(UPN);
            if (id == null) {
                errors.add(line, OBJECT_ID, "objectId is empty");
                return true;
            }
            if (upn == null) {
                errors.add(line, UPN, "userPrincipalName is empty");
                return true;
            }
            String mail = row.get(MAIL);
            String mailNormalized = Addresses.normalize(mail);
            if (mailNormalized != null && !Addresses.isPlausible(mailNormalized)) {
                errors.add(line, MAIL, "Not an email address: '" + mail + "'");
                return true;
            }
            Boolean enabled = parseBoolean(row.get(ENABLED));
            if (row.get(ENABLED) != null && enabled == null) {
                errors.add(line, ENABLED, "accountEnabled must be True or False, not '" + row.get(ENABLED) + "'");
                return true;
            }
            String upnNormalized = Addresses.normalize(upn);
            String userType = IdentityDetails.userType(row.get(USER_TYPE), upnNormalized);
            sink.add(new ParsedIdentity(line, new Identity(id, row.get(DISPLAY_NAME), mail, mailNormalized, upn,
                    upnNormalized, List.of(), enabled == null || enabled, userType, null, List.of(),
                    IdentityDetails.entra(mailNormalized, upnNormalized, userType, row.get(GIVEN_NAME), row.get(SURNAME),
                            row.get(EMPLOYEE_ID), null))));
            return true;
        });
        errors.finish(sink.count(), null, "The file has a header but no users");
    }

    private static Boolean parseBoolean(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> null;
        };
    }
}
