package io.relink.matcher.service;

import io.relink.events.MatchDecided.Evidence;
import io.relink.events.MatchOutcome;
import io.relink.matcher.IndexedIdentity;
import io.relink.matcher.config.MatcherConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The matching rules, in order, as a pure function of the account and its candidates (no I/O), so that
 * every tricky case can be tested on its own. Anything a careful admin would question goes to REVIEW.
 *
 * <p>Definite rules (may match), strongest first: the immutable link (the SCIM user linked to the account carries
 * the Entra user's object id as its externalId), then email = Entra mail, = userPrincipalName, = an smtp: alias,
 * = an address after a configured domain rename. Evidence-only rules (never match on their own): email in
 * otherMails, email equal after removing a {@code +tag}, the same display name.
 */
@ApplicationScoped
public class MatchRules {

    public static final String IMMUTABLE_LINK = "IMMUTABLE_LINK";
    public static final String EMAIL_EQUALS_MAIL = "EMAIL_EQUALS_MAIL";
    public static final String EMAIL_EQUALS_UPN = "EMAIL_EQUALS_UPN";
    public static final String EMAIL_EQUALS_ALIAS = "EMAIL_EQUALS_ALIAS";
    public static final String DOMAIN_ALIAS = "DOMAIN_ALIAS";
    public static final String OTHER_MAIL = "OTHER_MAIL";
    public static final String PLUS_ADDRESS = "PLUS_ADDRESS";
    public static final String DISPLAY_NAME = "DISPLAY_NAME";

    /** Blockers the executor must honour before any move. */
    public static final String SCIM_EMAIL_MISMATCH = "SCIM_EMAIL_MISMATCH";
    public static final String IDP_ACCOUNT_DISABLED = "IDP_ACCOUNT_DISABLED";
    public static final String IDP_GUEST = "IDP_GUEST";
    /** A SCIM user holds the account's address for another IdP identity, or the IdP user is linked elsewhere. */
    public static final String STALE_SCIM_RECORD = "STALE_SCIM_RECORD";
    /** The account is on the target policy but SCIM has not linked it: moving is done, linking is not. */
    public static final String ALREADY_ON_TARGET_POLICY = "ALREADY_ON_TARGET_POLICY";
    /** Flag: the address mixes scripts (homoglyphs); never matched automatically. */
    public static final String CONFUSABLE_ADDRESS = "CONFUSABLE_ADDRESS";

    private final MatcherConfig config;
    private final AddressKeys keys;

    public MatchRules(MatcherConfig config, AddressKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    /** A candidate and the strongest rule that found it. */
    record Found(EntraCandidate candidate, String rule, double confidence, boolean definite, String attribute, String value) {
    }

    /**
     * @param account       the Atlassian account
     * @param candidates    Entra users found by any of the account's lookup keys (any of them may not match)
     * @param claimsPerUser Entra user id -> how many Atlassian accounts of the same source definitely resolve to it
     */
    public Verdict decide(IndexedIdentity account, List<EntraCandidate> candidates, Map<String, Integer> claimsPerUser) {
        return decide(account, candidates, claimsPerUser, ScimEvidence.NONE);
    }

    /** @param scim the SCIM directory's users around this account (see {@link ScimEvidence}) */
    public Verdict decide(IndexedIdentity account, List<EntraCandidate> candidates, Map<String, Integer> claimsPerUser,
                          ScimEvidence scim) {
        if (!account.active) {
            return noCandidate(MatchOutcome.SKIPPED, "Atlassian account is deactivated");
        }
        boolean onTarget = account.authPolicy != null && account.authPolicy.equalsIgnoreCase(config.targetPolicy());
        var link = scim.linkedTo(account);
        if (onTarget && (!scim.known() || link.isPresent())) {
            return noCandidate(MatchOutcome.ALREADY_LINKED, "Already on the target policy '" + config.targetPolicy() + "'"
                    + link.map(l -> " and linked to SCIM user " + l.externalId).orElse(""));
        }
        if (AddressKeys.confusable(account.email)) {
            return new Verdict(MatchOutcome.REVIEW, null, 0, null, List.of(), List.of(CONFUSABLE_ADDRESS),
                    "The address mixes alphabets (e.g. Cyrillic letters in a Latin address): never matched automatically");
        }
        List<Found> found = new ArrayList<>();
        for (EntraCandidate candidate : candidates) {
            Found best = strongestRule(account, candidate, scim);
            if (best != null) {
                found.add(best);
            }
        }
        List<Evidence> evidence = found.stream()
                .map(f -> new Evidence(f.rule(), account.email, f.attribute(), f.value(), f.candidate().user().externalId))
                .toList();
        List<Found> definite = found.stream().filter(Found::definite).toList();
        if (definite.size() > 1) {
            return new Verdict(MatchOutcome.REVIEW, null, 0.5, null, evidence, List.of(),
                    definite.size() + " Entra users share this address; a person must choose");
        }
        if (definite.size() == 1) {
            Found match = definite.get(0);
            IndexedIdentity user = match.candidate().user();
            int claims = claimsPerUser.getOrDefault(user.id, 1);
            if (claims > 1) {
                return new Verdict(MatchOutcome.REVIEW, null, 0.5, match.rule(), evidence, List.of(),
                        "Entra user " + user.externalId + " is the match of " + claims + " Atlassian accounts; a person must choose");
            }
            List<String> flags = blockers(account, user, match.rule(), scim);
            String reason = "Unique Entra user by " + match.rule() + (flags.isEmpty() ? "" : "; blocked: " + String.join(", ", flags))
                    + scim.staleFor(account, user).map(stale -> " (stale SCIM user " + stale.externalId + ": remove it in "
                    + "Atlassian Administration before moving)").orElse("");
            return new Verdict(MatchOutcome.MATCHED, user, match.confidence(), match.rule(), evidence, flags, reason);
        }
        if (!found.isEmpty()) {
            return new Verdict(MatchOutcome.REVIEW, null, found.get(0).confidence(), found.get(0).rule(), evidence, List.of(),
                    "Only evidence-level candidates (" + String.join(", ", found.stream().map(Found::rule).distinct().toList())
                            + "); a person must decide");
        }
        return noCandidate(MatchOutcome.NO_MATCH, "No Entra user has this address as mail, userPrincipalName or alias"
                + (scim.known() ? ", and no SCIM link names one" : ""));
    }

    /** The strongest rule connecting the account to the candidate, or null. */
    Found strongestRule(IndexedIdentity account, EntraCandidate c, ScimEvidence scim) {
        IndexedIdentity user = c.user();
        var link = scim.linkedTo(account);
        if (link.isPresent() && user.externalId.equals(link.get().scimExternalId)) {
            return new Found(c, IMMUTABLE_LINK, config.immutableLinkConfidence(), true, "SCIM user " + link.get().externalId
                    + " externalId", user.externalId);
        }
        Found byAddress = strongestAddressRule(account.emailNorm, c);
        if (byAddress != null) {
            return byAddress;
        }
        String name = AddressKeys.nameKey(account.displayName);
        if (name != null && name.equals(AddressKeys.nameKey(user.displayName))) {
            return new Found(c, DISPLAY_NAME, config.evidenceConfidence(), false, "displayName", user.displayName);
        }
        return null;
    }

    private Found strongestAddressRule(String email, EntraCandidate c) {
        IndexedIdentity user = c.user();
        if (email == null) {
            return null;
        }
        if (email.equals(user.emailNorm)) {
            return new Found(c, EMAIL_EQUALS_MAIL, config.mailConfidence(), true, "mail", user.email);
        }
        if (email.equals(user.upnNorm)) {
            return new Found(c, EMAIL_EQUALS_UPN, config.upnConfidence(), true, "userPrincipalName", user.upnNorm);
        }
        if (c.aliases().contains(email)) {
            return new Found(c, EMAIL_EQUALS_ALIAS, config.aliasConfidence(), true, "proxyAddresses", "smtp:" + email);
        }
        String renamed = keys.domainAliased(email);
        if (renamed != null && addresses(c).contains(renamed)) {
            return new Found(c, DOMAIN_ALIAS, config.aliasConfidence(), true, "mail/userPrincipalName/proxyAddresses", renamed);
        }
        if (c.otherMails().contains(email)) {
            return new Found(c, OTHER_MAIL, config.evidenceConfidence(), false, "otherMails", email);
        }
        String stripped = keys.plusStripped(email);
        if (stripped != null && addresses(c).contains(stripped)) {
            return new Found(c, PLUS_ADDRESS, config.evidenceConfidence(), false, "mail/userPrincipalName/proxyAddresses", stripped);
        }
        return null;
    }

    private static List<String> addresses(EntraCandidate c) {
        List<String> all = new ArrayList<>(c.aliases());
        if (c.user().emailNorm != null) {
            all.add(c.user().emailNorm);
        }
        if (c.user().upnNorm != null) {
            all.add(c.user().upnNorm);
        }
        return all;
    }

    /** The blockers of moving {@code account} as {@code user}, found by {@code rule}. */
    List<String> blockers(IndexedIdentity account, IndexedIdentity user, String rule, ScimEvidence scim) {
        List<String> flags = new ArrayList<>();
        // SCIM pushes the Entra mail attribute (the Atlassian gallery app's default mapping): when it
        // differs from the Atlassian email, provisioning creates a second account instead of linking. An
        // account SCIM has already linked (immutable link) is updated through its link instead.
        if (!IMMUTABLE_LINK.equals(rule) && !Objects.equals(user.emailNorm, account.emailNorm)) {
            flags.add(SCIM_EMAIL_MISMATCH);
        }
        if (!user.active) {
            flags.add(IDP_ACCOUNT_DISABLED);
        }
        if ("Guest".equalsIgnoreCase(user.userType)) {
            flags.add(IDP_GUEST);
        }
        if (scim.staleFor(account, user).isPresent()) {
            flags.add(STALE_SCIM_RECORD);
        }
        if (account.authPolicy != null && account.authPolicy.equalsIgnoreCase(config.targetPolicy())) {
            flags.add(ALREADY_ON_TARGET_POLICY);
        }
        return flags;
    }

    private static Verdict noCandidate(MatchOutcome outcome, String reason) {
        return new Verdict(outcome, null, 0, null, List.of(), List.of(), reason);
    }
}
