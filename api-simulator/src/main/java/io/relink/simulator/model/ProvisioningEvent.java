package io.relink.simulator.model;

import java.time.Instant;

/**
 * What the simulated Entra provisioning service did for one user entering the app's scope.
 *
 * @param outcome LINKED (existing account), CREATED (a new, duplicate account), UPDATED (already
 *                provisioned), SKIPPED (disabled user or no address), FAILED (e.g. 409 uniqueness)
 */
public record ProvisioningEvent(Instant at, String entraUserId, String pushedEmail, String outcome,
                                String atlassianAccountId, String detail) {
}
