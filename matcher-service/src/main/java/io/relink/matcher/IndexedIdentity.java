package io.relink.matcher;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.relink.events.SourceKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.time.Instant;
import java.util.List;

/** The newest known state of one identity of one source, as the matcher indexes it. */
@Entity
@Table(name = "identity")
public class IndexedIdentity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "source_name", nullable = false)
    public String sourceName;

    @Enumerated(EnumType.STRING)
    @Column(name = "source_kind", nullable = false)
    public SourceKind sourceKind;

    @Column(name = "external_id", nullable = false)
    public String externalId;

    @Column(name = "display_name")
    public String displayName;

    public String email;

    /** Atlassian email, or Entra mail; normalized. */
    @Column(name = "email_norm")
    public String emailNorm;

    @Column(name = "upn_norm")
    public String upnNorm;

    /** JSON list of normalized secondary addresses (Entra smtp: aliases). */
    @Column(nullable = false, columnDefinition = "text")
    public String secondary;

    /** JSON list of normalized Entra otherMails (evidence only). */
    @Column(name = "other_mails", nullable = false, columnDefinition = "text")
    public String otherMails;

    public boolean active;

    @Column(name = "user_type")
    public String userType;

    @Column(name = "auth_policy")
    public String authPolicy;

    /** SCIM users: the externalId the IdP set (Entra: the user's object id). */
    @Column(name = "scim_external_id")
    public String scimExternalId;

    /** SCIM users: the Atlassian account the SCIM user is linked to. */
    @Column(name = "linked_account_id")
    public String linkedAccountId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /**
     * JSON list of the addresses this identity has rows for in {@code identity_address}, as written: what replacing or
     * deleting its rows looks up (through the address index; there is no index by identity).
     */
    @Column(columnDefinition = "text")
    public String addresses;

    /**
     * What the matcher derived from this state (the parsed address lists, the address index rows), kept with it: one
     * batch asks for them several times, and parsing the JSON columns again each time was a tenth of its CPU time.
     * The matcher never changes an identity it read; a new state is a new object.
     */
    @Transient
    public List<String> secondaryList;

    @Transient
    public List<String> otherMailsList;

    @Transient
    public List<IdentityAddress> addressRows;

    public static String key(String sourceName, String externalId) {
        return sourceName + "/" + externalId;
    }
}
