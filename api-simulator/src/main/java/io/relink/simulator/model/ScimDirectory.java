package io.relink.simulator.model;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * What Atlassian does when a SCIM user is created: link to the managed account with the same email, or
 * create a new account (the duplicate admins dread), or refuse with 409 when the userName is taken. Used by
 * the SCIM API and by the simulated Entra provisioning service alike.
 */
public final class ScimDirectory {

    private ScimDirectory() {
    }

    public enum Outcome { LINKED, CREATED, CONFLICT, INVALID }

    public record CreateResult(Outcome outcome, ScimUser user, String detail) {
    }

    public record CreateRequest(String userName, String email, String externalId, String givenName, String familyName,
                                String displayName, boolean active) {
    }

    public static CreateResult create(SimulatedOrg org, CreateRequest request) {
        if (request.userName() == null || request.userName().isBlank()) {
            return new CreateResult(Outcome.INVALID, null, "userName is required");
        }
        if (request.email() == null || !request.email().contains("@")) {
            return new CreateResult(Outcome.INVALID, null, "A primary email is required");
        }
        if (org.scimUserByUserName(request.userName()).isPresent()) {
            return new CreateResult(Outcome.CONFLICT, null,
                    "Resource [USER]: with email[" + request.email().toLowerCase(Locale.ROOT) + "] already exists.");
        }
        Instant now = Instant.now();
        ScimUser user = new ScimUser(UUID.randomUUID().toString());
        user.userName = request.userName();
        user.email = request.email();
        user.externalId = request.externalId();
        user.givenName = request.givenName();
        user.familyName = request.familyName();
        user.displayName = request.displayName();
        user.active = request.active();
        user.created = now;
        user.lastModified = now;

        AtlassianAccount account = org.accountByEmail(request.email()).orElse(null);
        Outcome outcome;
        if (account != null && account.scimUserId == null && "managed".equals(account.claimStatus)) {
            outcome = Outcome.LINKED;
        } else if (account != null && account.scimUserId != null) {
            return new CreateResult(Outcome.CONFLICT, null,
                    "Resource [USER]: with email[" + request.email().toLowerCase(Locale.ROOT) + "] already exists.");
        } else {
            account = org.newAccount(request.displayName(), request.email());
            account.policyId = org.defaultLocalPolicy() == null ? null : org.defaultLocalPolicy().id();
            outcome = Outcome.CREATED;
        }
        account.managementSource = "synced";
        account.scimUserId = user.id;
        if (!user.active) {
            account.accountStatus = "inactive";
        }
        user.atlassianAccountId = account.accountId;
        org.scimUsers.put(user.id, user);
        return new CreateResult(outcome, user, outcome == Outcome.LINKED ? "Linked to existing account" : "Created a new account");
    }

    /** SCIM active=false (or DELETE): the linked account is deactivated. */
    public static void setActive(SimulatedOrg org, ScimUser user, boolean active) {
        user.active = active;
        user.lastModified = Instant.now();
        AtlassianAccount account = org.accounts.get(user.atlassianAccountId);
        if (account != null) {
            account.accountStatus = active ? "active" : "inactive";
        }
    }
}
