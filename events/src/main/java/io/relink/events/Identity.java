package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * One normalized identity, as inventory publishes it. Originals are kept beside the normalized
 * (NFC, trimmed, lower-cased) forms so that every decision can show what the admin would see.
 *
 * @param externalId                  stable key inside its source (Atlassian account id or the
 *                                    normalized email when an export has none; Entra object id)
 * @param email                       Atlassian email, or Entra {@code mail}
 * @param userPrincipalName           Entra only
 * @param secondaryEmailsNormalized   Entra {@code smtp:} proxy addresses, normalized
 * @param active                      Atlassian status active / Entra accountEnabled
 * @param userType                    Entra {@code Member} or {@code Guest}
 * @param authPolicy                  Atlassian authentication policy name, when known
 * @param otherMailsNormalized        Entra {@code otherMails}, normalized: evidence only, never a match on
 *                                    their own (added in v1 as an optional field; older events lack it)
 * @param details                     attributes beyond the matching core (optional, added in v1; null in
 *                                    older events)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Identity(
        String externalId,
        String displayName,
        String email,
        String emailNormalized,
        String userPrincipalName,
        String userPrincipalNameNormalized,
        List<String> secondaryEmailsNormalized,
        boolean active,
        String userType,
        String authPolicy,
        List<String> otherMailsNormalized,
        Details details) {

    public Identity {
        secondaryEmailsNormalized = secondaryEmailsNormalized == null ? List.of() : List.copyOf(secondaryEmailsNormalized);
        otherMailsNormalized = otherMailsNormalized == null ? List.of() : List.copyOf(otherMailsNormalized);
    }

    /** An identity without details. */
    public Identity(String externalId, String displayName, String email, String emailNormalized, String userPrincipalName,
                    String userPrincipalNameNormalized, List<String> secondaryEmailsNormalized, boolean active,
                    String userType, String authPolicy, List<String> otherMailsNormalized) {
        this(externalId, displayName, email, emailNormalized, userPrincipalName, userPrincipalNameNormalized,
                secondaryEmailsNormalized, active, userType, authPolicy, otherMailsNormalized, null);
    }

    /** The same identity with {@code details}. */
    public Identity withDetails(Details details) {
        return new Identity(externalId, displayName, email, emailNormalized, userPrincipalName, userPrincipalNameNormalized,
                secondaryEmailsNormalized, active, userType, authPolicy, otherMailsNormalized, details);
    }

    /**
     * What a source knows beyond the matching core; every field may be null.
     *
     * @param emailDomain           the domain of {@code emailNormalized}
     * @param guest                 an Entra guest: {@code userType} Guest, or a {@code #EXT#} UPN
     * @param givenName             Entra
     * @param surname               Entra
     * @param employeeId            Entra
     * @param onPremisesImmutableId Entra, for users synced from Active Directory
     * @param managementSource      Atlassian v2 directory users: {@code invited} or {@code synced}
     * @param scimExternalId        Atlassian SCIM: the {@code externalId} the IdP set (Entra's object id)
     * @param linkedAccountId       Atlassian SCIM: the Atlassian account the SCIM user is linked to
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Details(String emailDomain, boolean guest, String givenName, String surname, String employeeId,
                          String onPremisesImmutableId, String managementSource, String scimExternalId,
                          String linkedAccountId) {
    }

    /** An identity without otherMails (every source but Entra). */
    public Identity(String externalId, String displayName, String email, String emailNormalized, String userPrincipalName,
                    String userPrincipalNameNormalized, List<String> secondaryEmailsNormalized, boolean active,
                    String userType, String authPolicy) {
        this(externalId, displayName, email, emailNormalized, userPrincipalName, userPrincipalNameNormalized,
                secondaryEmailsNormalized, active, userType, authPolicy, List.of());
    }
}
