package io.relink.matcher.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relink.support.rest.Exports;

import java.util.List;

/**
 * The match output contract as files: one JSON object per line (what {@code relink matches --json} prints),
 * or CSV for spreadsheets, with every cell that a spreadsheet would run as a formula neutralized.
 */
final class MatchExport {

    static final String NDJSON = Exports.NDJSON;
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
        return Exports.csv(CSV_HEADER, matches.stream().map(m -> new Object[]{m.accountId(), m.email(), m.displayName(),
                m.outcome().name(), m.idpUserId(), m.confidence(), m.rule(),
                String.join(" ", JSON.<List<String>>convertValue(m.flags(),
                        JSON.getTypeFactory().constructCollectionType(List.class, String.class))),
                m.currentPolicy(), m.reason()}).toList());
    }
}
