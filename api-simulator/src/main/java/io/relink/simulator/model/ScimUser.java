package io.relink.simulator.model;

import java.time.Instant;

/** A user in the Atlassian SCIM provisioning directory; linked to exactly one Atlassian account. */
public final class ScimUser {

    public final String id;
    public String userName;
    /** The identity provider's object id (Entra user id). */
    public String externalId;
    public String email;
    public String givenName;
    public String familyName;
    public String displayName;
    public boolean active = true;
    public String atlassianAccountId;
    public Instant created;
    public Instant lastModified;

    public ScimUser(String id) {
        this.id = id;
    }
}
