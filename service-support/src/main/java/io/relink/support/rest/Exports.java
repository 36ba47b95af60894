package io.relink.support.rest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/** File exports every service offers: newline-delimited JSON, and CSV that spreadsheets cannot run as formulas. */
public final class Exports {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";

    private Exports() {
    }

    /** One CSV row per element of {@code rows}; every text cell is made formula-safe. */
    public static String csv(String[] header, List<Object[]> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
            for (Object[] row : rows) {
                csv.printRecord(Arrays.stream(row).map(cell -> cell instanceof String text ? safe(text) : cell).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Spreadsheets run cells starting with = + - @ (or tab / carriage return) as formulas: prefix them with '. */
    public static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
