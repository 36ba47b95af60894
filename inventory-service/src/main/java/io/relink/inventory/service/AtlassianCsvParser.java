package io.relink.inventory.service;

import io.relink.events.Identity;
import io.relink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Atlassian's "Export managed accounts" CSV. Columns are found by name (any order, extra columns
 * ignored, known aliases accepted); the normalized email is the identity key, as the export carries
 * no account id.
 */
@ApplicationScoped
public class AtlassianCsvParser {

    static final String NAME = "Name";
    static final String EMAIL = "Email";
    static final String STATUS = "Status";
    static final String POLICY = "Policy name";

    /** Accepted header spellings per column, compared case-insensitively. */
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

    public ParseResult parse(Path file, String fileName) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        try (BufferedReader reader = new BufferedReader(TextInput.open(file, errors))) {
            char delimiter = sniffDelimiter(reader);
            CSVFormat format = CSVFormat.DEFAULT.builder()
                    .setDelimiter(delimiter)
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true)
                    .setAllowMissingColumnNames(true)
                    .setAllowDuplicateHeaderNames(true)
                    .get();
            try (CSVParser csv = CSVParser.builder().setReader(reader).setFormat(format).get()) {
                Map<String, Integer> columns = resolveColumns(csv.getHeaderNames(), errors);
                errors.throwIfAny();
                return readRows(csv, columns, errors);
            }
        } catch (UncheckedIOException | IOException | IllegalStateException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text; save it as UTF-8 (CSV UTF-8)");
            }
            throw errors.fatal(null, null, "The CSV cannot be read: " + rootMessage(e)
                    + " (an unbalanced quote or a truncated file?)");
        }
    }

    private ParseResult readRows(CSVParser csv, Map<String, Integer> columns, InputErrors errors) {
        List<ParsedIdentity> identities = new ArrayList<>();
        List<ParseResult.Duplicate> duplicates = new ArrayList<>();
        Map<String, Long> firstLineByKey = new HashMap<>();
        for (CSVRecord record : csv) {
            long line = record.getRecordNumber() + 1; // + the header line
            if (!record.isConsistent() && record.size() < columns.values().stream().mapToInt(i -> i).max().orElse(0) + 1) {
                errors.add(line, null, "Row has " + record.size() + " fields, the header has " + csv.getHeaderNames().size()
                        + " (a truncated row?)");
                continue;
            }
            if (tooLong(record, line, errors)) {
                continue;
            }
            String email = value(record, columns, EMAIL);
            String normalized = Addresses.normalize(email);
            if (!Addresses.isPlausible(normalized)) {
                errors.add(line, EMAIL, email == null || email.isBlank() ? "Email is empty" : "Not an email address: '" + email + "'");
                continue;
            }
            String status = value(record, columns, STATUS);
            Boolean active = parseStatus(status);
            if (active == null) {
                errors.add(line, STATUS, "Unknown status '" + status + "'; expected Active or Deactivated");
                continue;
            }
            Long first = firstLineByKey.putIfAbsent(normalized, line);
            if (first != null) {
                duplicates.add(new ParseResult.Duplicate(line, normalized, first));
                continue;
            }
            identities.add(new ParsedIdentity(line, new Identity(normalized, value(record, columns, NAME), email.strip(),
                    normalized, null, null, List.of(), active, null, value(record, columns, POLICY))));
            if (errors.isFull()) {
                break;
            }
        }
        errors.throwIfAny();
        if (identities.isEmpty()) {
            throw errors.fatal(null, null, "The file has a header but no accounts");
        }
        return new ParseResult(identities, duplicates);
    }

    private boolean tooLong(CSVRecord record, long line, InputErrors errors) {
        for (int i = 0; i < record.size(); i++) {
            if (record.get(i).length() > config.maxFieldLength()) {
                errors.add(line, "column " + (i + 1), "Field is longer than " + config.maxFieldLength() + " characters");
                return true;
            }
        }
        return false;
    }

    private static Map<String, Integer> resolveColumns(List<String> header, InputErrors errors) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i) == null ? "" : header.get(i).strip().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, List<String>> column : ALIASES.entrySet()) {
                if (column.getValue().contains(name)) {
                    columns.putIfAbsent(column.getKey(), i);
                }
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                errors.add(1L, required, "Required column '" + required + "' is missing (header: " + header + ")");
            }
        }
        return columns;
    }

    private static String value(CSVRecord record, Map<String, Integer> columns, String column) {
        Integer index = columns.get(column);
        if (index == null || index >= record.size()) {
            return null;
        }
        String value = record.get(index).strip();
        return value.isEmpty() ? null : value;
    }

    private static Boolean parseStatus(String status) {
        if (status == null) {
            return null;
        }
        return switch (status.strip().toLowerCase(Locale.ROOT)) {
            case "active" -> true;
            case "deactivated", "inactive", "suspended", "closed" -> false;
            default -> null;
        };
    }

    /** Atlassian's export is comma-separated; a spreadsheet re-save in some locales uses semicolons. */
    private static char sniffDelimiter(BufferedReader reader) throws IOException {
        reader.mark(64 * 1024);
        String header = reader.readLine();
        reader.reset();
        if (header != null && header.indexOf(',') < 0 && header.indexOf(';') >= 0) {
            return ';';
        }
        return ',';
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
