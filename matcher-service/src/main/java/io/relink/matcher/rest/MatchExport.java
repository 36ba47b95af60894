package io.relink.matcher.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The match output contract as files: one JSON object per line (what {@code relink matches --json} prints),
 * or CSV for spreadsheets, with every cell that a spreadsheet would run as a formula neutralized.
 */
final class MatchExport {

    static final String NDJSON = "application/x-ndjson";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String[] CSV_HEADER = {"accountId", "email", "displayName", "outcome", "idpUserId", "confidence",
            "rule", "flags", "currentPolicy", "reason"};

    private MatchExport() {
    }

    static String ndjson(List<MatchView> matches) {
        StringBuilder out = new StringBuilder();
        for (MatchView m : matches) {
            ObjectNode line = JSON.createObjectNode()
                    .put("accountId", m.accountId())
                    .put("email", m.email())
                    .put("displayName", m.displayName())
                    .put("outcome", m.outcome().name())
                    .put("idpUserId", m.idpUserId())
                    .put("confidence", m.confidence())
                    .put("rule", m.rule())
                    .put("currentPolicy", m.currentPolicy())
                    .put("reason", m.reason());
            line.set("flags", m.flags());
            line.set("evidence", m.evidence());
            try {
                out.append(JSON.writeValueAsString(line)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot serialize a match", e);
            }
        }
        return out.toString();
    }

    static String csv(List<MatchView> matches) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).get())) {
            for (MatchView m : matches) {
                List<String> flags = JSON.convertValue(m.flags(), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
                csv.printRecord(safe(m.accountId()), safe(m.email()), safe(m.displayName()), m.outcome().name(),
                        safe(m.idpUserId()), m.confidence(), safe(m.rule()), safe(String.join(" ", flags)),
                        safe(m.currentPolicy()), safe(m.reason()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Spreadsheets run cells starting with = + - @ (or tab / carriage return) as formulas: prefix them with '. */
    static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
