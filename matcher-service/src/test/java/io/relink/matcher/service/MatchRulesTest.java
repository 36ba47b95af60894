package io.relink.matcher.service;

import io.relink.events.MatchOutcome;
import io.relink.events.SourceKind;
import io.relink.matcher.IndexedIdentity;
import io.relink.matcher.config.MatcherConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules on their own, case by case. */
class MatchRulesTest {

    private final MatchRules rules = new MatchRules(new MatcherConfig() {
        @Override
        public String targetPolicy() {
            return "Entra SSO";
        }

        @Override
        public double mailConfidence() {
            return 0.99;
        }

        @Override
        public double upnConfidence() {
            return 0.95;
        }
    });

    @Test
    void exactMailMatchIsMatchedWithEvidence() {
        Verdict verdict = rules.decide(account("ada@example.com"), List.of(entra("1", "ada@example.com", "e1@example.com")), Map.of());
        assertThat(verdict.outcome()).isEqualTo(MatchOutcome.MATCHED);
        assertThat(verdict.candidate().externalId).isEqualTo("1");
        assertThat(verdict.rule()).isEqualTo(MatchRules.EMAIL_EQUALS_MAIL);
        assertThat(verdict.confidence()).isEqualTo(0.99);
        assertThat(verdict.evidence()).singleElement().satisfies(e -> assertThat(e.idpAttribute()).isEqualTo("mail"));
        assertThat(verdict.flags()).isEmpty();
    }

    @Test
    void upnOnlyMatchIsBlockedBecauseScimWouldPushAnotherAddress() {
        Verdict verdict = rules.decide(account("ada@example.com"), List.of(entra("1", "lovelace@example.com", "ada@example.com")), Map.of());
        assertThat(verdict.outcome()).isEqualTo(MatchOutcome.MATCHED);
        assertThat(verdict.rule()).isEqualTo(MatchRules.EMAIL_EQUALS_UPN);
        assertThat(verdict.flags()).containsExactly(MatchRules.SCIM_EMAIL_MISMATCH);
    }

    @Test
    void anAddressSharedByTwoEntraUsersGoesToReview() {
        Verdict verdict = rules.decide(account("ada@example.com"),
                List.of(entra("1", "ada@example.com", "a1@example.com"), entra("2", "x@example.com", "ada@example.com")), Map.of());
        assertThat(verdict.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(verdict.candidate()).isNull();
        assertThat(verdict.evidence()).hasSize(2);
    }

    @Test
    void twoAtlassianAccountsResolvingToOneEntraUserGoToReview() {
        Verdict verdict = rules.decide(account("ada@example.com"), List.of(entra("1", "ada@example.com", "e1@example.com")),
                Map.of("entra/1", 2));
        assertThat(verdict.outcome()).isEqualTo(MatchOutcome.REVIEW);
    }

    @Test
    void disabledAndGuestUsersAreBlocked() {
        IndexedIdentity disabledGuest = entra("1", "ada@example.com", "ada_example.com#EXT#@acme.onmicrosoft.com");
        disabledGuest.active = false;
        disabledGuest.userType = "Guest";
        Verdict verdict = rules.decide(account("ada@example.com"), List.of(disabledGuest), Map.of());
        assertThat(verdict.flags()).containsExactly(MatchRules.IDP_ACCOUNT_DISABLED, MatchRules.IDP_GUEST);
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
    void noCandidateIsNoMatch() {
        Verdict verdict = rules.decide(account("ada@example.com"), List.of(entra("1", "grace@example.com", "g@example.com")), Map.of());
        assertThat(verdict.outcome()).isEqualTo(MatchOutcome.NO_MATCH);
        assertThat(verdict.reason()).isNotBlank();
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

    static IndexedIdentity entra(String id, String mail, String upn) {
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
        return u;
    }
}
