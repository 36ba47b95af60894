package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Data of {@link EventTypes#MATCH_REVIEWED_V1}: who decided what about one account, and why.
 *
 * @param action    APPROVE, REJECT or OVERRIDE
 * @param idpUserId the Entra user chosen (null for REJECT)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MatchReviewed(
        String atlassianSource,
        String accountId,
        String email,
        String action,
        String idpUserId,
        String actor,
        String reason,
        String previousOutcome) {
}
