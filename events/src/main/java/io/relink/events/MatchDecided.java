package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * Data of {@link EventTypes#MATCH_DECIDED_V1}: the current decision for one Atlassian account.
 * A later decision for the same account replaces an earlier one; {@code revision} orders them.
 *
 * @param idpUserId     Entra object id; {@code null} unless the outcome is MATCHED
 * @param currentPolicy the account's authentication policy when it was last seen
 * @param reason        one sentence an admin can read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MatchDecided(
        String atlassianSource,
        String accountId,
        String email,
        String displayName,
        MatchOutcome outcome,
        String idpSource,
        String idpUserId,
        double confidence,
        String rule,
        List<Evidence> evidence,
        List<String> flags,
        String currentPolicy,
        String reason,
        long revision) {

    /**
     * One fact behind a decision: which rule compared which values, for which Entra user.
     *
     * @param idpUserId the Entra user the fact is about (added in 1.1 of this version; older events lack it)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Evidence(String rule, String atlassianValue, String idpAttribute, String idpValue, String idpUserId) {
    }
}
