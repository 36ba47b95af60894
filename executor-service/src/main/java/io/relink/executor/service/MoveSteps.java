package io.relink.executor.service;

import io.relink.executor.Campaign;
import io.relink.support.client.ClientsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The exact API calls one move makes, in order, for dry runs and plans. Building them calls nothing. */
@ApplicationScoped
public class MoveSteps {

    private final ClientsConfig clients;

    public MoveSteps(ClientsConfig clients) {
        this.clients = clients;
    }

    /** Where the move goes: the Entra scope and the target policy. */
    public record Target(Campaign.ScopeKind scopeKind, String scopeId, String appRoleId, String policyId, String policyName) {
    }

    public List<PlannedStep> steps(Target target, String email, String idpUserId) {
        String org = clients.atlassianAdmin().orgId().filter(o -> !o.isBlank()).orElse("{orgId}");
        String directory = clients.atlassianScim().directoryId().filter(d -> !d.isBlank()).orElse("{directoryId}");
        PlannedStep scope = target.scopeKind() == Campaign.ScopeKind.GROUP
                ? new PlannedStep(2, "ADD_TO_ENTRA_SCOPE", "GRAPH", "POST", "/v1.0/groups/" + target.scopeId() + "/members/$ref",
                "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + idpUserId + "\"}",
                "Add the Entra user to the group assigned to the Atlassian app, so provisioning picks it up"
                        + " (batched: up to 20 users per PATCH members@odata.bind)")
                : new PlannedStep(2, "ADD_TO_ENTRA_SCOPE", "GRAPH", "POST",
                "/v1.0/servicePrincipals/" + target.scopeId() + "/appRoleAssignedTo",
                "{\"principalId\":\"" + idpUserId + "\",\"resourceId\":\"" + target.scopeId() + "\",\"appRoleId\":\""
                        + target.appRoleId() + "\"}", "Assign the Atlassian app's role to the Entra user, so provisioning picks it up");
        return List.of(
                new PlannedStep(1, "READ_CURRENT_POLICY", "ATLASSIAN_ADMIN", "POST",
                        "/admin/control/v1/orgs/" + org + "/users/auth-policies/bulk-fetch", "{\"users\":[\"" + email + "\"]}",
                        "Record the current policy (the rollback target); skip the user if already on the target"),
                scope,
                new PlannedStep(3, "WAIT_FOR_SCIM_LINK", "ATLASSIAN_SCIM", "GET",
                        "/scim/directory/" + directory + "/Users?filter=userName eq \"" + email + "\"",
                        null, "Poll until Entra provisioning has linked the existing account (not created a new one)"),
                new PlannedStep(4, "ADD_TO_AUTH_POLICY", "ATLASSIAN_ADMIN", "POST",
                        "/admin/control/v1/orgs/" + org + "/auth-policy/" + target.policyId() + "/add-users",
                        "{\"users\":[\"" + email + "\"]}",
                        "Move the account to the '" + target.policyName() + "' authentication policy, then follow the task"));
    }
}
