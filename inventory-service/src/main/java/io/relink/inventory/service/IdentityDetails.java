package io.relink.inventory.service;

import io.relink.events.Identity;

import java.util.Locale;

/** Builds {@link Identity.Details} per source kind, deriving what the raw record only implies. */
final class IdentityDetails {

    /** Entra marks B2B guests' UPNs: {@code alice_partner.com#EXT#@contoso.onmicrosoft.com}. */
    private static final String GUEST_UPN_MARK = "#ext#";

    private IdentityDetails() {
    }

    static Identity.Details atlassian(String emailNormalized, String managementSource) {
        return new Identity.Details(Addresses.domainOf(emailNormalized), false, null, null, null, null,
                managementSource, null, null);
    }

    static Identity.Details entra(String mailNormalized, String upnNormalized, String userType, String givenName,
                                  String surname, String employeeId, String onPremisesImmutableId) {
        return new Identity.Details(Addresses.domainOf(mailNormalized != null ? mailNormalized : upnNormalized),
                isGuest(userType, upnNormalized), givenName, surname, employeeId, onPremisesImmutableId, null, null, null);
    }

    static Identity.Details scim(String emailNormalized, String scimExternalId, String linkedAccountId) {
        return new Identity.Details(Addresses.domainOf(emailNormalized), false, null, null, null, null, null,
                scimExternalId, linkedAccountId);
    }

    /** Entra's {@code userType} with its usual capitalization; a {@code #EXT#} UPN without one is a Guest. */
    static String userType(String userType, String upnNormalized) {
        if (userType == null) {
            return upnNormalized != null && upnNormalized.contains(GUEST_UPN_MARK) ? "Guest" : null;
        }
        return userType.substring(0, 1).toUpperCase(Locale.ROOT) + userType.substring(1);
    }

    static boolean isGuest(String userType, String upnNormalized) {
        return "guest".equalsIgnoreCase(userType) || (upnNormalized != null && upnNormalized.contains(GUEST_UPN_MARK));
    }
}
