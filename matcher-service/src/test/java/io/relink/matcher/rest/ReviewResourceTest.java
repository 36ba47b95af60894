package io.relink.matcher.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.ChangeType;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.SourceKind;
import io.relink.events.Topics;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** The review queue: decisions by people, applied at once, kept across snapshots, withdrawn when the evidence changes. */
@QuarkusTest
class ReviewResourceTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }


    @Inject
    MessagingConfig messaging;

    @Test
    void peopleApproveRejectAndOverrideAndTheirDecisionsHoldUntilTheEvidenceChanges() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String atl = "atl-" + run;
        String entra = "entra-" + run;
        String ada = "ada." + run + "@example.com";
        String grace = "grace." + run + "@example.com";
        String bob = "bob." + run + "@example.com";

        send(entraUser(entra, "obj-a", ada, List.of(), 1));
        send(entraUser(entra, "obj-b", "g.hopper." + run + "@example.com", List.of(grace), 1)); // otherMails: evidence only
        send(entraUser(entra, "obj-c", "robert." + run + "@example.com", List.of(), 1));
        send(account(atl, ada, 1));
        send(account(atl, grace, 1));
        send(account(atl, bob, 1));
        awaitOutcome(atl, grace, "REVIEW");
        awaitOutcome(atl, ada, "MATCHED");
        awaitOutcome(atl, bob, "NO_MATCH");

        given().get("/api/reviews/{source}", atl).then().statusCode(200)
                .body("accountId", hasItem(grace),
                        "find { it.accountId == '" + grace + "' }.candidates[0].idpUserId", equalTo("obj-b"),
                        "find { it.accountId == '" + grace + "' }.candidates[0].rule", equalTo("OTHER_MAIL"));

        // Only an authenticated reviewer decides, and why is required; a refused request changes nothing.
        given().auth().none().contentType("application/json").body("{\"reason\":\"x\"}")
                .post("/api/reviews/{source}/{account}/approve", atl, grace).then().statusCode(401)
                .contentType(containsString("problem+json")).header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2(TestTokens.token("vera@example.com", "viewer")).contentType("application/json").body("{\"reason\":\"x\"}")
                .post("/api/reviews/{source}/{account}/approve", atl, grace).then().statusCode(403)
                .body("detail", containsString("vera@example.com"), "detail", containsString("reviewer"));
        given().auth().oauth2(TestTokens.token("otto@example.com", "operator")).contentType("application/json").body("{\"reason\":\"x\"}")
                .post("/api/reviews/{source}/{account}/approve", atl, grace).then().statusCode(403);
        given().contentType("application/json").auth().oauth2(TestTokens.token("alice@example.com", "reviewer")).body("{}")
                .post("/api/reviews/{source}/{account}/approve", atl, grace).then().statusCode(400).body("errors.field", hasItem("reason"));
        given().contentType("application/json").auth().oauth2(TestTokens.token("alice@example.com", "reviewer")).body("{\"reason\":\"x\"}")
                .post("/api/reviews/{source}/{account}/promote", atl, grace).then().statusCode(400).body("errors[0].field", equalTo("action"));

        given().contentType("application/json").auth().oauth2(TestTokens.token("alice@example.com", "reviewer"))
                .body("{\"reason\":\"Grace confirmed by phone that g.hopper is her\"}")
                .post("/api/reviews/{source}/{account}/approve", atl, grace).then().statusCode(200)
                .body("outcome", equalTo("MATCHED"), "idpUserId", equalTo("obj-b"), "rule", equalTo("HUMAN_APPROVED"),
                        "review.actor", equalTo("alice@example.com"), "reason", containsString("Approved by alice@example.com"));

        // Bulk is all or nothing: one unknown account refuses the whole request.
        given().contentType("application/json").auth().oauth2(TestTokens.token("alice@example.com", "reviewer"))
                .body("{\"accountIds\":[\"" + ada + "\",\"nobody@example.com\"],\"action\":\"reject\",\"reason\":\"test\"}")
                .post("/api/reviews/{source}/bulk", atl).then().statusCode(404);
        awaitOutcome(atl, ada, "MATCHED");

        given().contentType("application/json").auth().oauth2(TestTokens.token("bob.admin@example.com", "admin"))
                .body("{\"idpUserId\":\"obj-c\",\"reason\":\"Bob's account predates his name change to Robert\"}")
                .post("/api/reviews/{source}/{account}/override", atl, bob).then().statusCode(200)
                .body("outcome", equalTo("MATCHED"), "idpUserId", equalTo("obj-c"), "rule", equalTo("HUMAN_OVERRIDE"));
        given().contentType("application/json").auth().oauth2(TestTokens.token("bob.admin@example.com", "admin"))
                .body("{\"accountIds\":[\"" + ada + "\"],\"action\":\"reject\",\"reason\":\"Shared mailbox, keep it local\"}")
                .post("/api/reviews/{source}/bulk", atl).then().statusCode(200)
                .body("[0].outcome", equalTo("NO_MATCH"), "[0].rule", equalTo("HUMAN_REJECTED"));

        // The executor hears about it: a new decision revision, and the review event, on the match topic.
        List<String> events = KafkaTestClient.readUntil(messaging.topic(Topics.MATCH), Duration.ofSeconds(20),
                records -> records.stream().anyMatch(r -> r.value().contains(EventTypes.MATCH_REVIEWED_V1) && r.value().contains(ada)))
                .stream().map(r -> r.value()).toList();
        assertThat(events).anySatisfy(e -> assertThat(e).contains(EventTypes.MATCH_REVIEWED_V1, "OVERRIDE", "obj-c"));
        assertThat(events).anySatisfy(e -> assertThat(e).contains(EventTypes.MATCH_DECIDED_V1, "HUMAN_APPROVED", grace));

        // A re-snapshot with the same facts keeps every human decision.
        send(account(atl, grace, 2));
        send(entraUser(entra, "obj-b", "g.hopper." + run + "@example.com", List.of(grace), 2));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().queryParam("source", atl).get("/api/matches").then()
                        .body("find { it.accountId == '" + grace + "' }.rule", equalTo("HUMAN_APPROVED")));

        // The evidence behind the approval changes (the alias moves to another user): back to review.
        send(entraUser(entra, "obj-b", "g.hopper." + run + "@example.com", List.of(), 3));
        send(entraUser(entra, "obj-d", "someone." + run + "@example.com", List.of(grace), 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/reviews/{source}", atl).then()
                .body("find { it.accountId == '" + grace + "' }.outcome", equalTo("REVIEW"),
                        "find { it.accountId == '" + grace + "' }.candidates[0].idpUserId", equalTo("obj-d"),
                        "find { it.accountId == '" + grace + "' }.review.staleSince", notNullValue(),
                        "find { it.accountId == '" + grace + "' }.review.staleReason", containsString("no longer holds")));
        given().get("/api/reviews/{source}/{account}/history", atl, grace).then()
                .body("action", equalTo(List.of("APPROVE")), "[0].actor", equalTo("alice@example.com"),
                        "[0].previousOutcome", equalTo("REVIEW"));
        given().queryParam("state", "decided").get("/api/reviews/{source}", atl).then()
                .body("accountId", hasItem(bob), "find { it.accountId == '" + bob + "' }.review.action", equalTo("OVERRIDE"));
    }

    private void awaitOutcome(String source, String account, String outcome) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", source).get("/api/matches")
                .then().body("find { it.accountId == '" + account + "' }.outcome", equalTo(outcome)));
    }

    private void send(EventEnvelope<IdentityChanged> event) {
        KafkaTestClient.sendRaw(messaging.topic(Topics.IDENTITY), event.subject(), EventCodec.encode(event));
    }

    private static EventEnvelope<IdentityChanged> account(String source, String email, long version) {
        Identity identity = new Identity(email, "Someone", email, email, null, null, List.of(), true, null, "Local accounts");
        return EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, source + "/" + email,
                new IdentityChanged(source, SourceKind.ATLASSIAN, "snap-" + version, version,
                        version == 1 ? ChangeType.ADDED : ChangeType.CHANGED, email, identity));
    }

    private static EventEnvelope<IdentityChanged> entraUser(String source, String id, String mail, List<String> otherMails,
                                                            long version) {
        String normalized = mail.toLowerCase(Locale.ROOT);
        Identity identity = new Identity(id, "Someone", mail, normalized, normalized, normalized, List.of(), true, "Member",
                null, otherMails);
        return EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, source + "/" + id,
                new IdentityChanged(source, SourceKind.ENTRA, "snap-" + version, version,
                        version == 1 ? ChangeType.ADDED : ChangeType.CHANGED, id, identity));
    }
}
