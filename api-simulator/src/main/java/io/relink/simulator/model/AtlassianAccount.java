package io.relink.simulator.model;

import java.time.Instant;

/** A managed (or unmanaged) account in the simulated Atlassian organization. */
public final class AtlassianAccount {

    public final String accountId;
    public String name;
    public String email;
    /** active | inactive | closed */
    public String accountStatus = "active";
    /** managed | unmanaged */
    public String claimStatus = "managed";
    /** invited (local) | synced (provisioned from an identity provider) */
    public String managementSource = "invited";
    public String membershipStatus = "active";
    public String policyId;
    public boolean billable = true;
    public Instant addedToOrg;
    public Instant lastActive;
    /** The SCIM user linked to this account, if any. */
    public String scimUserId;

    public AtlassianAccount(String accountId) {
        this.accountId = accountId;
    }
}
