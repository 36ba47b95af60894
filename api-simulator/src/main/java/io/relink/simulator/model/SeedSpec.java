package io.relink.simulator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How to seed the simulated world. Every field has a default, so {@code {}} is a valid spec; fractions are
 * shares of the Atlassian accounts, counts are absolute. The same spec and seed give the same world.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SeedSpec(
        String orgId,
        String directoryId,
        String scimDirectoryId,
        String domain,
        Integer accounts,
        Long seed,
        /* Atlassian email differs from Entra mail only in letter case. */
        Double caseDifferences,
        /* Entra userPrincipalName differs from mail (e.g. an employee number). */
        Double upnDiffersFromMail,
        /* The Atlassian email is an old-domain alias found only in Entra proxyAddresses (smtp:). */
        Double aliasOnly,
        /* Entra users disabled (accountEnabled=false) while their Atlassian account is active. */
        Double disabled,
        /* Atlassian accounts already linked to SCIM and on the SSO policy. */
        Double alreadyOnSso,
        /* Atlassian accounts deactivated. */
        Double deactivated,
        /* Alias addresses shared by two Entra users. */
        Integer sharedAliases,
        /* Guest users (#EXT#) in Entra with an Atlassian account under their home address. */
        Integer guests,
        /* Atlassian service accounts with no Entra user. */
        Integer serviceAccounts,
        /* Entra users with a second Atlassian account (e.g. a personal address variant). */
        Integer duplicateAccounts,
        /* SCIM records left over from an earlier integration: same userName, no Entra user behind them. */
        Integer staleScimRecords,
        /* Entra users without an Atlassian account (new hires). */
        Integer entraOnly) {

    public static SeedSpec defaults() {
        return new SeedSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    public String orgIdOr() {
        return orgId == null ? "acme-org" : orgId;
    }

    public String directoryIdOr() {
        return directoryId == null ? "acme-directory" : directoryId;
    }

    public String scimDirectoryIdOr() {
        return scimDirectoryId == null ? "acme-scim-directory" : scimDirectoryId;
    }

    public String domainOr() {
        return domain == null ? "acme-corp.example" : domain;
    }

    public int accountsOr() {
        return accounts == null ? 100 : accounts;
    }

    public long seedOr() {
        return seed == null ? 42L : seed;
    }

    static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    /** Rejects impossible specs with a sentence the caller can act on. */
    public void validate() {
        if (accountsOr() < 0 || accountsOr() > 2_000_000) {
            throw new IllegalArgumentException("accounts must be between 0 and 2,000,000");
        }
        for (Double share : new Double[]{caseDifferences, upnDiffersFromMail, aliasOnly, disabled, alreadyOnSso, deactivated}) {
            if (share != null && (share < 0 || share > 1)) {
                throw new IllegalArgumentException("shares (caseDifferences, upnDiffersFromMail, ...) must be between 0 and 1");
            }
        }
        double sum = or(caseDifferences, 0.1) + or(upnDiffersFromMail, 0.08) + or(aliasOnly, 0.03) + or(disabled, 0.02)
                + or(alreadyOnSso, 0.05) + or(deactivated, 0.03);
        if (sum > 1) {
            throw new IllegalArgumentException("the shares add up to more than 1");
        }
        for (Integer count : new Integer[]{sharedAliases, guests, serviceAccounts, duplicateAccounts, staleScimRecords, entraOnly}) {
            if (count != null && count < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
        }
    }
}
