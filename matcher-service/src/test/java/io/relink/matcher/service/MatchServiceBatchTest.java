package io.relink.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.relink.events.ChangeType;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.MatchOutcome;
import io.relink.events.SourceKind;
import io.relink.matcher.Decision;
import io.relink.matcher.IdentityAddress;
import io.relink.matcher.IndexedIdentity;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch of changes is applied as its final state, and each account it touches is decided once. */
@QuarkusTest
class MatchServiceBatchTest {

    @Inject
    MatchService matches;

    @Test
    @RunOnVertxContext
    void theLastChangeOfAnIdentityInABatchWinsAndEachAccountIsDecidedOnce(UniAsserter asserter) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String entra = "entra-" + run;
        String atl = "atl-" + run;
        String first = "first." + run + "@example.com";
        String renamed = "renamed." + run + "@example.com";
        List<IdentityChanged> batch = List.of(
                entraUser(entra, "obj-1", first, ChangeType.ADDED),
                entraUser(entra, "obj-1", renamed, ChangeType.CHANGED),
                account(atl, renamed, ChangeType.ADDED),
                account(atl, first, ChangeType.ADDED),
                account(atl, "gone." + run + "@example.com", ChangeType.ADDED),
                account(atl, "gone." + run + "@example.com", ChangeType.REMOVED));

        applyInOneTransaction(asserter, batch);
        asserter.assertThat(() -> Panache.withSession(() -> Decision.<Decision>list("atlassianSource", atl)), decisions -> {
            assertThat(decisions).hasSize(2).allSatisfy(d -> assertThat(d.revision).isEqualTo(1));
            assertThat(decisions).filteredOn(d -> d.accountId.equals(renamed)).singleElement()
                    .satisfies(d -> {
                        assertThat(d.outcome).isEqualTo(MatchOutcome.MATCHED);
                        assertThat(d.idpUserId).isEqualTo("obj-1");
                    });
            assertThat(decisions).filteredOn(d -> d.accountId.equals(first)).singleElement()
                    .satisfies(d -> assertThat(d.outcome).isEqualTo(MatchOutcome.NO_MATCH));
        });
        asserter.assertThat(() -> Panache.withSession(() -> IndexedIdentity.<IndexedIdentity>findById(entra + "/obj-1")),
                user -> assertThat(user.emailNorm).isEqualTo(renamed));

        // Redeciding with nothing new says nothing new: the same batch again leaves every revision at 1.
        applyInOneTransaction(asserter, batch);
        asserter.assertThat(() -> Panache.withSession(() -> Decision.<Decision>list("atlassianSource", atl)),
                decisions -> assertThat(decisions).hasSize(2).allSatisfy(d -> assertThat(d.revision).isEqualTo(1)));
    }

    /**
     * A batch's look-ups by address leave out the identities the batch wrote (it knows them), and only those. Here a new
     * Entra user shares an alias with Ada, who is read through it; Ada's account, reached through Ada's mail, must
     * still find Ada by that mail and stay matched to her.
     */
    @Test
    @RunOnVertxContext
    void anIdentityReadEarlierInABatchIsStillFoundByItsOtherAddresses(UniAsserter asserter) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String entra = "entra-" + run;
        String atl = "atl-" + run;
        String mail = "ada." + run + "@example.com";
        String shared = "team." + run + "@example.com";
        applyInOneTransaction(asserter, List.of(entraUser(entra, "obj-7", mail, List.of(shared)),
                account(atl, mail, ChangeType.ADDED)));
        applyInOneTransaction(asserter, List.of(entraUser(entra, "obj-8", "grace." + run + "@example.com", List.of(shared))));
        asserter.assertThat(() -> Panache.withSession(() -> Decision.<Decision>findById(atl + "/" + mail)), decision -> {
            assertThat(decision.outcome).isEqualTo(MatchOutcome.MATCHED);
            assertThat(decision.idpUserId).isEqualTo("obj-7");
            assertThat(decision.revision).as("nothing new to say about the account").isEqualTo(1);
        });
    }

    @Test
    @RunOnVertxContext
    void aRemovedIdentityLeavesNoAddressBehind(UniAsserter asserter) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String entra = "entra-" + run;
        String id = entra + "/obj-9";
        String mail = "leaver." + run + "@example.com";
        applyInOneTransaction(asserter, List.of(entraUser(entra, "obj-9", mail, ChangeType.ADDED)));
        asserter.assertThat(() -> Panache.withSession(() -> IdentityAddress.count("identityId", id)),
                addresses -> assertThat(addresses).as("addresses of the indexed user").isPositive());

        applyInOneTransaction(asserter, List.of(entraUser(entra, "obj-9", mail, ChangeType.REMOVED)));
        asserter.assertThat(() -> Panache.withSession(() -> IdentityAddress.count("identityId", id)),
                addresses -> assertThat(addresses).as("addresses left by the removed user").isZero());
        asserter.assertThat(() -> Panache.withSession(() -> IndexedIdentity.<IndexedIdentity>findById(id)),
                user -> assertThat(user).isNull());
    }

    @Test
    @RunOnVertxContext
    void aChangedIdentityKeepsTheAddressRowsOfItsNewStateOnly(UniAsserter asserter) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String entra = "entra-" + run;
        String id = entra + "/obj-7";
        String before = "before." + run + "@example.com";
        String after = "after." + run + "@example.com";
        applyInOneTransaction(asserter, List.of(entraUser(entra, "obj-7", before, ChangeType.ADDED)));
        applyInOneTransaction(asserter, List.of(entraUser(entra, "obj-7", after, ChangeType.CHANGED)));
        asserter.assertThat(() -> Panache.withSession(() -> IdentityAddress.<IdentityAddress>list("identityId", id)),
                rows -> assertThat(rows).extracting(row -> row.address).as("address rows after the change")
                        .contains(after, "oid:obj-7").doesNotContain(before).doesNotHaveDuplicates());
    }

    /** Applies one consumer batch, as the identity-event consumer does: in one transaction. */
    private void applyInOneTransaction(UniAsserter asserter, List<IdentityChanged> batch) {
        asserter.execute(() -> Panache.withTransaction(() -> matches.applyAll(batch)));
    }

    private static IdentityChanged entraUser(String source, String id, String mail, ChangeType change) {
        Identity identity = new Identity(id, "Ada Lovelace", mail, mail, "upn-" + id + "@example.com", "upn-" + id + "@example.com",
                List.of(), true, "Member", null);
        return new IdentityChanged(source, SourceKind.ENTRA, "snap", 1, change, id, identity);
    }

    /** A new Entra user with smtp: aliases (normalized). */
    private static IdentityChanged entraUser(String source, String id, String mail, List<String> aliases) {
        Identity identity = new Identity(id, id, mail, mail, "upn-" + id + "@example.com", "upn-" + id + "@example.com",
                aliases, true, "Member", null);
        return new IdentityChanged(source, SourceKind.ENTRA, "snap", 1, ChangeType.ADDED, id, identity);
    }

    private static IdentityChanged account(String source, String email, ChangeType change) {
        Identity identity = new Identity(email, "Someone Else", email, email, null, null, List.of(), true, null, "Local accounts");
        return new IdentityChanged(source, SourceKind.ATLASSIAN, "snap", 1, change, email, identity);
    }
}
