package io.relink.matcher.service;

import io.relink.matcher.IndexedIdentity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Atlassian SCIM directory says around one account: the SCIM users that hold its email, are linked to it,
 * or carry one of its candidates' object ids.
 *
 * @param known whether the matcher has any SCIM data at all; without it, nothing can be said about links
 */
public record ScimEvidence(boolean known, List<IndexedIdentity> records) {

    public static final ScimEvidence NONE = new ScimEvidence(false, List.of());

    /** The SCIM user linked to the account, if any. */
    public Optional<IndexedIdentity> linkedTo(IndexedIdentity account) {
        return records.stream().filter(record -> linked(account, record)).findFirst();
    }

    /**
     * True when the SCIM user holds an address SCIM would link the account by but belongs to another IdP identity,
     * or when the IdP user is already linked to another Atlassian account: provisioning would answer 409
     * (uniqueness) or link the wrong person until the stale record is removed.
     */
    public Optional<IndexedIdentity> staleFor(IndexedIdentity account, IndexedIdentity idpUser) {
        return records.stream().filter(record ->
                (sameEmail(account, record) && record.scimExternalId != null && !record.scimExternalId.equals(idpUser.externalId))
                        || (idpUser.externalId.equals(record.scimExternalId) && record.linkedAccountId != null
                        && !linked(account, record))).findFirst();
    }

    static boolean linked(IndexedIdentity account, IndexedIdentity record) {
        if (record.linkedAccountId == null) {
            return false;
        }
        if (record.linkedAccountId.equals(account.externalId)) {
            return true;
        }
        // Exports without account ids key accounts by email: then the address is all there is to go by.
        boolean accountIdUnknown = Objects.equals(account.externalId, account.emailNorm);
        return accountIdUnknown && sameEmail(account, record);
    }

    private static boolean sameEmail(IndexedIdentity account, IndexedIdentity record) {
        return account.emailNorm != null
                && (account.emailNorm.equals(record.emailNorm) || account.emailNorm.equals(record.upnNorm));
    }
}
