package io.relink.inventory.service;

import io.relink.inventory.config.InventoryConfig;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CSV export row by row with columns found by name: any order, extra columns ignored, known aliases
 * accepted (compared case-insensitively, spaces and underscores ignored). Strict UTF-8 (BOM skipped), comma or
 * semicolon delimited, quoted fields may hold newlines. Problems are collected in {@link InputErrors}.
 */
final class CsvTable {

    /** Receives each data row: canonical column -> trimmed value, null when absent or empty. */
    interface RowHandler {
        /** @return false to stop reading (e.g. too many errors) */
        boolean row(long line, Map<String, String> values);
    }

    private CsvTable() {
    }

    static void read(Path file, InputErrors errors, InventoryConfig config, Map<String, List<String>> aliases,
                     List<String> required, RowHandler handler) {
        try (BufferedReader reader = new BufferedReader(TextInput.open(file, errors))) {
            CSVFormat format = CSVFormat.DEFAULT.builder()
                    .setDelimiter(sniffDelimiter(reader))
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true)
                    .setAllowMissingColumnNames(true)
                    .setAllowDuplicateHeaderNames(true)
                    .get();
            try (CSVParser csv = CSVParser.builder().setReader(reader).setFormat(format).get()) {
                Map<String, Integer> columns = resolveColumns(csv.getHeaderNames(), aliases, required, errors);
                errors.throwIfAny();
                int lastColumn = columns.values().stream().mapToInt(i -> i).max().orElse(0);
                for (CSVRecord record : csv) {
                    long line = record.getRecordNumber() + 1; // + the header line
                    if (record.size() <= lastColumn) {
                        errors.add(line, null, "Row has " + record.size() + " fields, the header has "
                                + csv.getHeaderNames().size() + " (a truncated row?)");
                        continue;
                    }
                    if (tooLong(record, line, errors, config.maxFieldLength())) {
                        continue;
                    }
                    Map<String, String> values = new HashMap<>();
                    columns.forEach((column, index) -> {
                        String value = record.get(index).strip();
                        values.put(column, value.isEmpty() ? null : value);
                    });
                    if (!handler.row(line, values) || errors.isFull()) {
                        break;
                    }
                }
            }
        } catch (UncheckedIOException | IOException | IllegalStateException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text; save it as UTF-8 (CSV UTF-8)");
            }
            throw errors.fatal(null, null, "The CSV cannot be read: " + rootMessage(e)
                    + " (an unbalanced quote or a truncated file?)");
        }
    }

    private static boolean tooLong(CSVRecord record, long line, InputErrors errors, int max) {
        for (int i = 0; i < record.size(); i++) {
            if (record.get(i).length() > max) {
                errors.add(line, "column " + (i + 1), "Field is longer than " + max + " characters");
                return true;
            }
        }
        return false;
    }

    private static Map<String, Integer> resolveColumns(List<String> header, Map<String, List<String>> aliases,
                                                       List<String> required, InputErrors errors) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = key(header.get(i));
            for (Map.Entry<String, List<String>> column : aliases.entrySet()) {
                if (column.getValue().stream().map(CsvTable::key).anyMatch(name::equals)) {
                    columns.putIfAbsent(column.getKey(), i);
                }
            }
        }
        for (String column : required) {
            if (!columns.containsKey(column)) {
                errors.add(1L, column, "Required column '" + column + "' is missing (header: " + header + ")");
            }
        }
        return columns;
    }

    private static String key(String headerName) {
        return headerName == null ? "" : headerName.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "");
    }

    /** Exports are comma-separated; a spreadsheet re-save in some locales uses semicolons. */
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
