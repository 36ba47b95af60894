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
        String authPolicy) {
}
