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
        List<String> otherMailsNormalized) {

    public Identity {
        secondaryEmailsNormalized = secondaryEmailsNormalized == null ? List.of() : List.copyOf(secondaryEmailsNormalized);
        otherMailsNormalized = otherMailsNormalized == null ? List.of() : List.copyOf(otherMailsNormalized);
    }

    /** An identity without otherMails (every source but Entra). */
    public Identity(String externalId, String displayName, String email, String emailNormalized, String userPrincipalName,
                    String userPrincipalNameNormalized, List<String> secondaryEmailsNormalized, boolean active,
                    String userType, String authPolicy) {
        this(externalId, displayName, email, emailNormalized, userPrincipalName, userPrincipalNameNormalized,
                secondaryEmailsNormalized, active, userType, authPolicy, List.of());
    }
}
