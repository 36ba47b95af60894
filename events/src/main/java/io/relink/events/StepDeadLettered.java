package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Data of {@link EventTypes#STEP_DEAD_LETTERED_V1}.
 *
 * @param step       PRECHECK, ADD_TO_SCOPE, WAIT_FOR_LINK, ADD_TO_POLICY or ROLLBACK
 * @param errorClass RATE_LIMITED, SERVER_ERROR, NETWORK, CIRCUIT_OPEN, REJECTED, LINK_TIMEOUT, POLICY_REJECTED, ...
 * @param attempts   API attempts spent on this user's failed steps so far, replays included
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepDeadLettered(
        String deadLetterId,
        String campaignId,
        Integer wave,
        String accountId,
        String email,
        String step,
        String errorClass,
        String reason,
        int attempts) {
}
