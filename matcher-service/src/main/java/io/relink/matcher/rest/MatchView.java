package io.relink.matcher.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.MatchOutcome;
import io.relink.matcher.Decision;

import java.time.Instant;

/** One decision as the API shows it (the output contract of {@code relink matches --json}). */
public record MatchView(String accountId, String email, String displayName, MatchOutcome outcome, String idpSource,
                        String idpUserId, double confidence, String rule, JsonNode flags, JsonNode evidence,
                        String currentPolicy, String reason, long revision, Instant decidedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static MatchView of(Decision d) {
        return new MatchView(d.accountId, d.email, d.displayName, d.outcome, d.idpSource, d.idpUserId, d.confidence,
                d.rule, tree(d.flags), tree(d.evidence), d.currentPolicy, d.reason, d.revision, d.decidedAt);
    }

    private static JsonNode tree(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is invalid", e);
        }
    }
}
