package io.relink.matcher.service;

import io.relink.events.MatchOutcome;
import io.relink.events.SourceKind;
import io.relink.matcher.IndexedIdentity;
import io.relink.matcher.config.MatcherConfig;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The rules on their own, one named tricky case per row. */
class MatchRulesTest {

    /** The mapping's own defaults (confidences), with a target policy and a domain rename. */
    static final MatcherConfig CONFIG = new io.smallrye.config.SmallRyeConfigBuilder()
            .withMapping(MatcherConfig.class)
            .withDefaultValue("relink.matcher.target-policy", "Entra SSO")
            .withDefaultValue("relink.matcher.domain-aliases", "old.example=new.example")
            .build().getConfigMapping(MatcherConfig.class);

    private final MatchRules rules = new MatchRules(CONFIG, new AddressKeys(CONFIG));

    /** account email, candidates, claims, expected outcome, expected rule, expected flags */
    static Stream<Arguments> trickyCases() {
        return Stream.of(
                row("exact mail (case and whitespace already normalized by inventory)", "ada@example.com",
                        List.of(entra("1", "ada@example.com", "e1@example.com")), Map.of(),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_MAIL, List.of()),
                row("UPN differs from mail; the account uses the mail", "ada@example.com",
                        List.of(entra("1", "ada@example.com", "e100@example.com")), Map.of(),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_MAIL, List.of()),
                row("the account uses the UPN: SCIM would push a different mail", "e100@example.com",
                        List.of(entra("1", "ada@example.com", "e100@example.com")), Map.of(),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_UPN, List.of(MatchRules.SCIM_EMAIL_MISMATCH)),
                row("secondary smtp: alias", "ada.l@example.com",
                        List.of(entra("1", "ada@example.com", "ada@example.com", List.of("ada.l@example.com"), List.of())), Map.of(),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_ALIAS, List.of(MatchRules.SCIM_EMAIL_MISMATCH)),
                row("an alias shared by two Entra users", "team@example.com",
                        List.of(entra("1", "ada@example.com", "ada@example.com", List.of("team@example.com"), List.of()),
                                entra("2", "grace@example.com", "grace@example.com", List.of("team@example.com"), List.of())),
                        Map.of(), MatchOutcome.REVIEW, null, List.of()),
                row("one address shared by mail of one user and UPN of another", "ada@example.com",
                        List.of(entra("1", "ada@example.com", "e1@example.com"), entra("2", "x@example.com", "ada@example.com")),
                        Map.of(), MatchOutcome.REVIEW, null, List.of()),
                row("plus-addressing is evidence only", "ada+jira@example.com",
                        List.of(entra("1", "ada@example.com", "ada@example.com")), Map.of(),
                        MatchOutcome.REVIEW, MatchRules.PLUS_ADDRESS, List.of()),
                row("otherMails is evidence only", "ada.private@home.example",
                        List.of(entra("1", "ada@example.com", "ada@example.com", List.of(), List.of("ada.private@home.example"))),
                        Map.of(), MatchOutcome.REVIEW, MatchRules.OTHER_MAIL, List.of()),
                row("homoglyph: Cyrillic 'а' inside a Latin address", "\u0430da@example.com",
                        List.of(entra("1", "\u0430da@example.com", "ada@example.com")), Map.of(),
                        MatchOutcome.REVIEW, null, List.of(MatchRules.CONFUSABLE_ADDRESS)),
                row("disabled Entra user", "ada@example.com",
                        List.of(disabled(entra("1", "ada@example.com", "ada@example.com"))), Map.of(),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_MAIL, List.of(MatchRules.IDP_ACCOUNT_DISABLED)),
                row("guest user", "partner@partner.example",
                        List.of(guest(entra("1", "partner@partner.example", "partner_partner.example#EXT#@acme.onmicrosoft.com"))),
                        Map.of(), MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_MAIL, List.of(MatchRules.IDP_GUEST)),
                row("domain rename old.example -> new.example", "ada@old.example",
                        List.of(entra("1", "ada@new.example", "ada@new.example")), Map.of(),
                        MatchOutcome.MATCHED, MatchRules.DOMAIN_ALIAS, List.of(MatchRules.SCIM_EMAIL_MISMATCH)),
                row("two Atlassian accounts resolve to one Entra user (duplicate accounts)", "ada@example.com",
                        List.of(entra("1", "ada@example.com", "ada@example.com")), Map.of("entra/1", 2),
                        MatchOutcome.REVIEW, MatchRules.EMAIL_EQUALS_MAIL, List.of()),
                row("no candidate", "nobody@example.com",
                        List.of(entra("1", "ada@example.com", "ada@example.com")), Map.of(),
                        MatchOutcome.NO_MATCH, null, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trickyCases")
    void trickyCase(String email, List<EntraCandidate> candidates, Map<String, Integer> claims, MatchOutcome outcome,
                    String rule, List<String> flags) {
        Verdict verdict = rules.decide(account(email), candidates, claims);
        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(outcome);
        assertThat(verdict.rule()).isEqualTo(rule);
        assertThat(verdict.flags()).containsExactlyElementsOf(flags);
        assertThat(verdict.reason()).isNotBlank();
        if (outcome == MatchOutcome.MATCHED) {
            assertThat(verdict.candidate()).isNotNull();
            assertThat(verdict.evidence()).isNotEmpty();
        } else {
            assertThat(verdict.candidate()).isNull();
        }
    }

    /** account, candidates, SCIM evidence, expected outcome, rule and flags */
    static Stream<Arguments> scimAndNameCases() {
        IndexedIdentity renamed = withAccountId(account("ada@old-brand.example"), "acct-ada");
        IndexedIdentity onSso = account("ada@example.com");
        onSso.authPolicy = "Entra SSO";
        IndexedIdentity named = account("ada.private@home.example");
        named.displayName = "Ada Lovelace";
        EntraCandidate lovelace = entra("1", "ada@example.com", "ada@example.com");
        lovelace.user().displayName = "Lovelace, Ada";
        return Stream.of(
                arguments(Named.of("immutable link: the SCIM user linked to the account carries the Entra object id "
                                + "(the mail was renamed since)", renamed), List.of(entra("1", "ada@new-brand.example", "ada@new-brand.example")),
                        scim(true, scimUser("s1", "ada@old-brand.example", "1", "acct-ada")),
                        MatchOutcome.MATCHED, MatchRules.IMMUTABLE_LINK, List.of()),
                arguments(Named.of("stale SCIM record: another Entra identity's SCIM user holds the address",
                                account("ada@example.com")), List.of(entra("1", "ada@example.com", "ada@example.com")),
                        scim(true, scimUser("s-old", "ada@example.com", "9-former-employee", null)),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_MAIL, List.of(MatchRules.STALE_SCIM_RECORD)),
                arguments(Named.of("the Entra user is already linked to another Atlassian account",
                                withAccountId(account("ada@example.com"), "acct-ada")), List.of(entra("1", "ada@example.com", "ada@example.com")),
                        scim(true, scimUser("s2", "ada.old@example.com", "1", "acct-someone-else")),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_MAIL, List.of(MatchRules.STALE_SCIM_RECORD)),
                arguments(Named.of("on the target policy but not linked by SCIM", onSso),
                        List.of(entra("1", "ada@example.com", "ada@example.com")), scim(true),
                        MatchOutcome.MATCHED, MatchRules.EMAIL_EQUALS_MAIL, List.of(MatchRules.ALREADY_ON_TARGET_POLICY)),
                arguments(Named.of("on the target policy and linked by SCIM", onSso),
                        List.of(entra("1", "ada@example.com", "ada@example.com")),
                        scim(true, scimUser("s3", "ada@example.com", "1", "ada@example.com")),
                        MatchOutcome.ALREADY_LINKED, null, List.of()),
                arguments(Named.of("the same display name (other word order, no address in common) is evidence only", named),
                        List.of(lovelace), ScimEvidence.NONE, MatchOutcome.REVIEW, MatchRules.DISPLAY_NAME, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scimAndNameCases")
    void scimAndNameCase(IndexedIdentity account, List<EntraCandidate> candidates, ScimEvidence scim, MatchOutcome outcome,
                         String rule, List<String> flags) {
        Verdict verdict = rules.decide(account, candidates, Map.of(), scim);
        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(outcome);
        assertThat(verdict.rule()).isEqualTo(rule);
        assertThat(verdict.flags()).containsExactlyElementsOf(flags);
        if (outcome == MatchOutcome.MATCHED) {
            assertThat(verdict.candidate().externalId).isEqualTo("1");
        }
    }

    @Test
    void nameKeysIgnoreOrderCaseAccentsAndPunctuationButNeedTwoWords() {
        assertThat(AddressKeys.nameKey("Lovelace, Ada")).isEqualTo(AddressKeys.nameKey("ada  LOVELACE"));
        assertThat(AddressKeys.nameKey("Ren\u00e9e O'Brien")).isEqualTo(AddressKeys.nameKey("renee o brien"));
        assertThat(AddressKeys.nameKey("Admin")).isNull();
        assertThat(AddressKeys.nameKey(null)).isNull();
    }

    @Test
    void deactivatedAccountsAreSkippedAndSsoAccountsAlreadyLinked() {
        IndexedIdentity deactivated = account("ada@example.com");
        deactivated.active = false;
        assertThat(rules.decide(deactivated, List.of(entra("1", "ada@example.com", null)), Map.of()).outcome())
                .isEqualTo(MatchOutcome.SKIPPED);
        IndexedIdentity onSso = account("ada@example.com");
        onSso.authPolicy = "entra sso";
        assertThat(rules.decide(onSso, List.of(entra("1", "ada@example.com", null)), Map.of()).outcome())
                .isEqualTo(MatchOutcome.ALREADY_LINKED);
    }

    @Test
    void derivedLookupKeys() {
        AddressKeys keys = new AddressKeys(CONFIG);
        assertThat(keys.lookupKeys("ada+jira@old.example")).containsExactly("ada+jira@old.example", "ada@old.example",
                "ada+jira@new.example");
        assertThat(AddressKeys.confusable("ada@example.com")).isFalse();
        assertThat(AddressKeys.confusable("ren\u00e9@example.com")).isFalse(); // accented Latin is not a homoglyph
        assertThat(AddressKeys.confusable("\u0430\u0434\u0430@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444")).isFalse(); // all Cyrillic
        assertThat(AddressKeys.confusable("p\u0430ypal@example.com")).isTrue();
    }

    private static Arguments row(String name, String email, List<EntraCandidate> candidates, Map<String, Integer> claims,
                                 MatchOutcome outcome, String rule, List<String> flags) {
        return arguments(Named.of(name, email), candidates, claims, outcome, rule, flags);
    }

    static IndexedIdentity account(String email) {
        IndexedIdentity a = new IndexedIdentity();
        a.id = "atl/" + email;
        a.sourceName = "atl";
        a.sourceKind = SourceKind.ATLASSIAN;
        a.externalId = email;
        a.email = email;
        a.emailNorm = email;
        a.active = true;
        a.authPolicy = "Local accounts";
        return a;
    }

    static EntraCandidate entra(String id, String mail, String upn) {
        return entra(id, mail, upn, List.of(), List.of());
    }

    static EntraCandidate entra(String id, String mail, String upn, List<String> aliases, List<String> otherMails) {
        IndexedIdentity u = new IndexedIdentity();
        u.id = "entra/" + id;
        u.sourceName = "entra";
        u.sourceKind = SourceKind.ENTRA;
        u.externalId = id;
        u.email = mail;
        u.emailNorm = mail;
        u.upnNorm = upn;
        u.active = true;
        u.userType = "Member";
        return new EntraCandidate(u, aliases, otherMails);
    }

    static IndexedIdentity withAccountId(IndexedIdentity account, String accountId) {
        account.externalId = accountId;
        account.id = "atl/" + accountId;
        return account;
    }

    static IndexedIdentity scimUser(String id, String email, String entraObjectId, String linkedAccountId) {
        IndexedIdentity u = new IndexedIdentity();
        u.id = "scim/" + id;
        u.sourceName = "scim";
        u.sourceKind = SourceKind.SCIM;
        u.externalId = id;
        u.email = email;
        u.emailNorm = email;
        u.upnNorm = email;
        u.active = true;
        u.scimExternalId = entraObjectId;
        u.linkedAccountId = linkedAccountId;
        return u;
    }

    static ScimEvidence scim(boolean known, IndexedIdentity... records) {
        return new ScimEvidence(known, List.of(records));
    }

    static EntraCandidate disabled(EntraCandidate c) {
        c.user().active = false;
        return c;
    }

    static EntraCandidate guest(EntraCandidate c) {
        c.user().userType = "Guest";
        return c;
    }
}
