package io.relink.matcher.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.ChangeType;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.SourceKind;
import io.relink.events.Topics;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Identity events in through the real broker, decisions out through the decision publisher. */
@QuarkusTest
class IdentityEventConsumerTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    @Inject
    MessagingConfig messaging;

    @Test
    void identityEventsProduceDecisionsAndAnEntraChangeRematchesTheAccount() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String atl = "atl-" + run;
        String entra = "entra-" + run;
        String email = "ada." + run + "@example.com";

        // The Atlassian account arrives first: no Entra user yet.
        send(atlassian(atl, email, 1));
        awaitDecision(atl, email, MatchOutcome.NO_MATCH);
        awaitPublished(email, 1);

        // The Entra user arrives: the account is re-decided without any new Atlassian event.
        EventEnvelope<IdentityChanged> entraAdded = entraUser(entra, "obj-1", "Ada." + run + "@Example.com", ChangeType.ADDED);
        send(entraAdded);
        awaitDecision(atl, email, MatchOutcome.MATCHED);
        awaitPublished(email, 2);
        given().queryParam("source", atl).get("/api/matches").then()
                .body("[0].idpUserId", equalTo("obj-1"), "[0].rule", equalTo("EMAIL_EQUALS_MAIL"), "[0].revision", equalTo(2));

        // A redelivered REMOVED must not be applied again. Same key = same partition = processed in order.
        String entraKey = entra + "/obj-1";
        EventEnvelope<IdentityChanged> removed = entraUser(entra, "obj-1", "Ada." + run + "@Example.com", ChangeType.REMOVED);
        send(removed);
        awaitDecision(atl, email, MatchOutcome.NO_MATCH);
        awaitPublished(email, 3);
        send(entraUser(entra, "obj-1", "Ada." + run + "@Example.com", ChangeType.ADDED));
        awaitDecision(atl, email, MatchOutcome.MATCHED);
        send(removed); // redelivery: same event id
        String marker = "marker." + run + "@example.com";
        KafkaTestClient.sendRaw(messaging.topic(Topics.IDENTITY), entraKey, EventCodec.encode(atlassian(atl, marker, 1)));
        awaitDecision(atl, marker, MatchOutcome.NO_MATCH); // everything before the marker has been processed
        given().queryParam("source", atl).queryParam("outcome", "MATCHED").get("/api/matches").then()
                .body("size()", equalTo(1), "[0].accountId", equalTo(email), "[0].revision", equalTo(4));

        // Decisions reached Kafka in order for the account.
        String topic = messaging.topic(Topics.MATCH);
        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(topic, Duration.ofSeconds(30),
                read -> decisionsFor(read, email).size() >= 4);
        assertThat(decisionsFor(records, email)).extracting(MatchDecided::outcome)
                .startsWith(MatchOutcome.NO_MATCH, MatchOutcome.MATCHED, MatchOutcome.NO_MATCH, MatchOutcome.MATCHED);

        given().queryParam("source", atl).accept("application/json").get("/api/matches/summary").then()
                .body("total", equalTo(2), "outcomes.MATCHED", equalTo(1), "outcomes.NO_MATCH", equalTo(1));
        assertThat(decisionsFor(records, email)).hasSize(4);
        given().queryParam("source", entra).get("/api/identities/count").then().body("count", equalTo(1));
    }

    @Test
    void anAliasFoundThroughTheAddressIndexMatchesButIsBlockedForScim() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String atl = "atl-" + run;
        String entra = "entra-" + run;
        String alias = "ada.old." + run + "@example.com";
        Identity user = new Identity("obj-a", "Ada", "ada." + run + "@example.com", "ada." + run + "@example.com",
                "e-" + run + "@example.com", "e-" + run + "@example.com", List.of(alias), true, "Member", null);
        send(EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, entra + "/obj-a",
                new IdentityChanged(entra, SourceKind.ENTRA, "snap", 1, ChangeType.ADDED, "obj-a", user)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().queryParam("source", entra).get("/api/identities/count").then().body("count", equalTo(1)));
        send(atlassian(atl, alias, 1));
        awaitDecision(atl, alias, MatchOutcome.MATCHED);
        given().queryParam("source", atl).get("/api/matches").then()
                .body("[0].rule", equalTo("EMAIL_EQUALS_ALIAS"), "[0].idpUserId", equalTo("obj-a"),
                        "[0].flags", equalTo(List.of("SCIM_EMAIL_MISMATCH")));
    }

    @Test
    void aScimLinkArrivingLaterMatchesTheAccountByTheImmutableObjectId() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String atl = "atl-" + run;
        String entra = "entra-" + run;
        String scim = "scim-" + run;
        String oldAddress = "ada.old." + run + "@example.com";
        String accountId = "acct-" + run;
        send(entraUser(entra, "obj-" + run, "ada.new." + run + "@example.com", ChangeType.ADDED));
        Identity account = new Identity(accountId, "Someone", oldAddress, oldAddress, null, null, List.of(), true, null,
                "Local accounts");
        send(EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, atl + "/" + accountId,
                new IdentityChanged(atl, SourceKind.ATLASSIAN, "snap", 1, ChangeType.ADDED, accountId, account)));
        awaitDecision(atl, accountId, MatchOutcome.NO_MATCH);

        // The SCIM directory shows the IdP already linked this account to the Entra user (the mail changed since).
        Identity scimUser = new Identity("s-" + run, "Someone", oldAddress, oldAddress, oldAddress, oldAddress, List.of(), true,
                null, null, List.of(), new Identity.Details("example.com", false, null, null, null, null, null,
                "obj-" + run, accountId));
        send(EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, scim + "/s-" + run,
                new IdentityChanged(scim, SourceKind.SCIM, "snap", 1, ChangeType.ADDED, "s-" + run, scimUser)));
        awaitDecision(atl, accountId, MatchOutcome.MATCHED);
        given().queryParam("source", atl).get("/api/matches").then()
                .body("[0].rule", equalTo("IMMUTABLE_LINK"), "[0].idpUserId", equalTo("obj-" + run), "[0].flags", equalTo(List.of()));
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndTheStreamGoesOn() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaTestClient.sendRaw(messaging.topic(Topics.IDENTITY), "bad", "{not json " + run);
        String atl = "atl-" + run;
        String email = "linus." + run + "@example.com";
        send(atlassian(atl, email, 1));
        awaitDecision(atl, email, MatchOutcome.NO_MATCH);
        List<ConsumerRecord<String, String>> dead = KafkaTestClient.readUntil(
                messaging.topic(Topics.IDENTITY) + ".matcher.dlq", Duration.ofSeconds(30),
                read -> read.stream().anyMatch(r -> r.value().contains(run)));
        assertThat(dead).anyMatch(r -> r.value().contains(run) && r.headers().lastHeader("dead-letter-reason") != null);
    }

    @Test
    void anEventTheDatabaseRefusesIsDeadLetteredWhileTheRestOfItsBatchIsApplied() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String atl = "atl-" + run;
        List<String> emails = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "user" + i + "." + run + "@example.com").toList();
        // An address longer than the index allows (512): the database refuses it, every time.
        String tooLong = "x".repeat(600) + "." + run + "@example.com";
        emails.subList(0, 10).forEach(email -> send(atlassian(atl, email, 1)));
        send(atlassian(atl, tooLong, 1));
        emails.subList(10, 20).forEach(email -> send(atlassian(atl, email, 1)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("source", atl).queryParam("limit", 100)
                .get("/api/matches").then().statusCode(200).body("size()", equalTo(20)));
        List<ConsumerRecord<String, String>> dead = KafkaTestClient.readUntil(
                messaging.topic(Topics.IDENTITY) + ".matcher.dlq", Duration.ofSeconds(60),
                read -> read.stream().anyMatch(r -> r.value().contains(tooLong)));
        assertThat(dead).filteredOn(r -> r.value().contains(run)).singleElement().satisfies(r -> {
            assertThat(r.value()).contains(tooLong);
            assertThat(r.key()).isEqualTo(atl + "/" + tooLong);
            assertThat(new String(r.headers().lastHeader("dead-letter-reason").value())).contains("22001");
        });
    }

    @Test
    void matchesExportAsNdjsonAndFormulaSafeCsv() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String atl = "atl-" + run;
        String email = "eve." + run + "@example.com";
        Identity identity = new Identity(email, "=HYPERLINK(\"http://x\")", email, email, null, null, List.of(), true, null,
                "Local accounts");
        send(EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, atl + "/" + email,
                new IdentityChanged(atl, SourceKind.ATLASSIAN, "snap", 1, ChangeType.ADDED, email, identity)));
        awaitDecision(atl, email, MatchOutcome.NO_MATCH);

        String ndjson = given().queryParam("source", atl).get("/api/matches/export").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString();
        assertThat(ndjson.lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("\"accountId\":\"" + email + "\"", "\"outcome\":\"NO_MATCH\"", "\"idpUserId\":null",
                        "\"confidence\":0.0", "\"flags\":[]", "\"evidence\":[]"));
        String csv = given().queryParam("source", atl).queryParam("format", "csv").get("/api/matches/export").then()
                .statusCode(200).contentType("text/csv").extract().asString();
        assertThat(csv).startsWith("accountId,email,displayName,outcome").contains("'=HYPERLINK");
        assertThat(csv.lines().filter(line -> line.contains(",=HYPERLINK"))).isEmpty();
        given().queryParam("source", atl).queryParam("format", "xlsx").get("/api/matches/export").then().statusCode(400);
    }

    @Test
    void listingRequiresASourceAndAKnownOutcome() {
        given().get("/api/matches").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("source"));
        given().queryParam("source", "x").queryParam("outcome", "PERHAPS").get("/api/matches").then().statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
    }

    private void awaitDecision(String source, String accountId, MatchOutcome outcome) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", source)
                .get("/api/matches").then().statusCode(200)
                .body("find { it.accountId == '" + accountId + "' }.outcome", equalTo(outcome.name())));
    }

    private void send(EventEnvelope<IdentityChanged> event) {
        KafkaTestClient.send(messaging.topic(Topics.IDENTITY), event);
    }

    /**
     * Waits until the account's decision of this revision is on the match topic. The publisher sends the newest write
     * of a decision (DecisionPublisher): a step that rewrote it before it went out would leave that revision unsent,
     * and the order checked at the end would depend on the publisher's timing.
     */
    private void awaitPublished(String accountId, long revision) {
        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(messaging.topic(Topics.MATCH),
                Duration.ofSeconds(30), read -> decisionsFor(read, accountId).stream().anyMatch(d -> d.revision() == revision));
        assertThat(decisionsFor(records, accountId)).extracting(MatchDecided::revision).contains(revision);
    }

    private static List<MatchDecided> decisionsFor(List<ConsumerRecord<String, String>> records, String accountId) {
        return records.stream().map(r -> EventCodec.data(EventCodec.decode(r.value()), MatchDecided.class))
                .filter(d -> d.accountId().equals(accountId)).toList();
    }

    static EventEnvelope<IdentityChanged> atlassian(String source, String email, long version) {
        Identity identity = new Identity(email, "Someone", email, email, null, null, List.of(), true, null, "Local accounts");
        return EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, source + "/" + email,
                new IdentityChanged(source, SourceKind.ATLASSIAN, "snap", version, ChangeType.ADDED, email, identity));
    }

    static EventEnvelope<IdentityChanged> entraUser(String source, String id, String mail, ChangeType change) {
        String normalized = mail.toLowerCase(java.util.Locale.ROOT);
        Identity identity = new Identity(id, "Someone", mail, normalized, "e-" + id + "@example.com",
                "e-" + id + "@example.com", List.of(), true, "Member", null);
        return EventEnvelope.of("/test", EventTypes.IDENTITY_CHANGED_V1, source + "/" + id,
                new IdentityChanged(source, SourceKind.ENTRA, "snap", 1, change, id, identity));
    }
}
