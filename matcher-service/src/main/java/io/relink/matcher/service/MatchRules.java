package io.relink.matcher.service;

import io.relink.events.MatchDecided.Evidence;
import io.relink.events.MatchOutcome;
import io.relink.matcher.IndexedIdentity;
import io.relink.matcher.config.MatcherConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The matching rules, as a pure function of the account and its candidates (no I/O), so that every
 * tricky case can be tested on its own. Anything a careful admin would question goes to REVIEW.
 */
@ApplicationScoped
public class MatchRules {

    public static final String EMAIL_EQUALS_MAIL = "EMAIL_EQUALS_MAIL";
    public static final String EMAIL_EQUALS_UPN = "EMAIL_EQUALS_UPN";

    /** Blockers the executor must honour before any move. */
    public static final String SCIM_EMAIL_MISMATCH = "SCIM_EMAIL_MISMATCH";
    public static final String IDP_ACCOUNT_DISABLED = "IDP_ACCOUNT_DISABLED";
    public static final String IDP_GUEST = "IDP_GUEST";

    private final MatcherConfig config;

    public MatchRules(MatcherConfig config) {
        this.config = config;
    }

    /**
     * @param account       the Atlassian account
     * @param entraUsers    Entra users found by the account's address (any of them may not match)
     * @param claimsPerUser Entra user id -> how many Atlassian accounts of the same source resolve to it
     */
    public Verdict decide(IndexedIdentity account, List<IndexedIdentity> entraUsers, Map<String, Integer> claimsPerUser) {
        if (!account.active) {
            return noCandidate(MatchOutcome.SKIPPED, "Atlassian account is deactivated");
        }
        if (account.authPolicy != null && account.authPolicy.equalsIgnoreCase(config.targetPolicy())) {
            return noCandidate(MatchOutcome.ALREADY_LINKED, "Already on the target policy '" + config.targetPolicy() + "'");
        }
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (IndexedIdentity user : entraUsers) {
            if (Objects.equals(account.emailNorm, user.emailNorm)) {
                candidates.put(user.id, new Candidate(user, EMAIL_EQUALS_MAIL, config.mailConfidence(), "mail", user.email));
            } else if (Objects.equals(account.emailNorm, user.upnNorm)) {
                candidates.putIfAbsent(user.id, new Candidate(user, EMAIL_EQUALS_UPN, config.upnConfidence(),
                        "userPrincipalName", user.upnNorm));
            }
        }
        List<Evidence> evidence = candidates.values().stream()
                .map(c -> new Evidence(c.rule, account.email, c.attribute, c.value)).toList();
        if (candidates.isEmpty()) {
            return noCandidate(MatchOutcome.NO_MATCH, "No Entra user has this address as mail or userPrincipalName");
        }
        if (candidates.size() > 1) {
            return new Verdict(MatchOutcome.REVIEW, null, 0.5, null, evidence, List.of(),
                    candidates.size() + " Entra users share this address; a person must choose");
        }
        Candidate match = candidates.values().iterator().next();
        int claims = claimsPerUser.getOrDefault(match.user.id, 1);
        if (claims > 1) {
            return new Verdict(MatchOutcome.REVIEW, null, 0.5, match.rule, evidence, List.of(),
                    "Entra user " + match.user.id + " is the match of " + claims + " Atlassian accounts; a person must choose");
        }
        List<String> flags = blockers(account, match.user);
        String reason = "Unique Entra user by " + match.rule
                + (flags.isEmpty() ? "" : "; blocked: " + String.join(", ", flags));
        return new Verdict(MatchOutcome.MATCHED, match.user, match.confidence, match.rule, evidence, flags, reason);
    }

    private static List<String> blockers(IndexedIdentity account, IndexedIdentity user) {
        List<String> flags = new ArrayList<>();
        // SCIM pushes the Entra mail attribute (the Atlassian gallery app's default mapping): when it
        // differs from the Atlassian email, provisioning creates a second account instead of linking.
        if (!Objects.equals(user.emailNorm, account.emailNorm)) {
            flags.add(SCIM_EMAIL_MISMATCH);
        }
        if (!user.active) {
            flags.add(IDP_ACCOUNT_DISABLED);
        }
        if ("Guest".equalsIgnoreCase(user.userType)) {
            flags.add(IDP_GUEST);
        }
        return flags;
    }

    private static Verdict noCandidate(MatchOutcome outcome, String reason) {
        return new Verdict(outcome, null, 0, null, List.of(), List.of(), reason);
    }

    private record Candidate(IndexedIdentity user, String rule, double confidence, String attribute, String value) {
    }
}
