package io.relink.simulator;

import io.relink.simulator.model.EntraUser;
import io.relink.simulator.model.ProvisioningEvent;
import io.relink.simulator.model.ScimDirectory;
import io.relink.simulator.model.ScimUser;
import io.relink.simulator.model.SimulatedOrg;

import java.time.Instant;

/**
 * The Entra provisioning service of the Atlassian enterprise app, as it behaves in reality: when a user
 * enters the app's scope, some time later it creates the user in the Atlassian SCIM directory under the
 * mapped email attribute (default {@code mail}). An existing managed account with that email is linked;
 * otherwise a new account is created. Disabled users are not provisioned. Leaving the scope deactivates.
 */
public final class ProvisioningService {

    private final ApiSimulator sim;

    ProvisioningService(ApiSimulator sim) {
        this.sim = sim;
    }

    /** Call after every change of group membership or app-role assignment. */
    public void scopeChanged(SimulatedOrg org, String userId, boolean wasInScope) {
        boolean inScope = org.inProvisioningScope(userId);
        if (inScope == wasInScope) {
            return;
        }
        long delay = Math.max(1, sim.config().provisioningDelay().toMillis());
        sim.vertx().setTimer(delay, id -> {
            if (sim.org() != org) {
                return; // the world was reset meanwhile
            }
            if (inScope && org.inProvisioningScope(userId)) {
                provision(org, userId);
            } else if (!inScope && !org.inProvisioningScope(userId) && sim.config().deprovisionOnUnassign()) {
                deprovision(org, userId);
            }
        });
    }

    private void provision(SimulatedOrg org, String userId) {
        EntraUser user = org.entraUsers.get(userId);
        if (user == null) {
            return;
        }
        String email = "userPrincipalName".equals(sim.config().provisioningEmailAttribute()) ? user.userPrincipalName : user.mail;
        if (!user.accountEnabled) {
            log(org, userId, email, "SKIPPED", null, "Disabled users are not provisioned");
            return;
        }
        if (email == null) {
            log(org, userId, null, "SKIPPED", null, "No value for the mapped attribute " + sim.config().provisioningEmailAttribute());
            return;
        }
        ScimUser existing = org.scimUserByExternalId(userId).orElse(null);
        if (existing != null) {
            ScimDirectory.setActive(org, existing, true);
            log(org, userId, email, "UPDATED", existing.atlassianAccountId, "Already provisioned; reactivated");
            return;
        }
        sim.counters().mutation("provisioning.createUser", email.toLowerCase(java.util.Locale.ROOT));
        ScimDirectory.CreateResult result = ScimDirectory.create(org, new ScimDirectory.CreateRequest(email, email, userId,
                user.givenName, user.surname, user.displayName, true));
        switch (result.outcome()) {
            case LINKED -> log(org, userId, email, "LINKED", result.user().atlassianAccountId, result.detail());
            case CREATED -> log(org, userId, email, "CREATED", result.user().atlassianAccountId,
                    "No account had this email: a new, duplicate account was created");
            case CONFLICT -> log(org, userId, email, "FAILED", null, "409 uniqueness: " + result.detail());
            case INVALID -> log(org, userId, email, "FAILED", null, result.detail());
        }
    }

    private void deprovision(SimulatedOrg org, String userId) {
        org.scimUserByExternalId(userId).ifPresent(scim -> {
            ScimDirectory.setActive(org, scim, false);
            log(org, userId, scim.email, "DEACTIVATED", scim.atlassianAccountId, "Left the app's scope");
        });
    }

    private static void log(SimulatedOrg org, String userId, String email, String outcome, String accountId, String detail) {
        org.provisioningLog.add(new ProvisioningEvent(Instant.now(), userId, email, outcome, accountId, detail));
    }
}
