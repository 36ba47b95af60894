package io.relink.executor.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Decisions in through the real broker; a dry-run plan out through REST. */
@QuarkusTest
class PlanResourceTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    @Inject
    MessagingConfig messaging;

    @Test
    void planMovesUnblockedMatchesAndExplainsEveryExclusion() {
        String source = "atl-" + UUID.randomUUID().toString().substring(0, 8);
        send(decision(source, "ada@example.com", MatchOutcome.MATCHED, "obj-ada", List.of(), 1));
        send(decision(source, "grace@example.com", MatchOutcome.MATCHED, "obj-grace", List.of("IDP_GUEST"), 1));
        send(decision(source, "alan@example.com", MatchOutcome.NO_MATCH, null, List.of(), 1));
        // Linus: first NO_MATCH, then MATCHED (revision 2), then a stale revision 1 replayed: the plan uses revision 2.
        send(decision(source, "linus@example.com", MatchOutcome.NO_MATCH, null, List.of(), 1));
        send(decision(source, "linus@example.com", MatchOutcome.MATCHED, "obj-linus", List.of(), 2));
        send(decision(source, "linus@example.com", MatchOutcome.NO_MATCH, null, List.of(), 1));
        String marker = "zz-marker@example.com";
        KafkaTestClient.sendRaw(messaging.topic(Topics.MATCH), source + "/linus@example.com",
                io.relink.events.EventCodec.encode(decision(source, marker, MatchOutcome.SKIPPED, null, List.of(), 1)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().queryParam("source", source).get("/api/decisions/count").then().body("count", equalTo(5)));

        String planId = given().contentType("application/json")
                .body("{\"name\":\"wave test\",\"atlassianSource\":\"" + source + "\"}")
                .post("/api/plans").then().statusCode(201)
                .body("dryRun", equalTo(true), "moves", equalTo(2), "excluded", equalTo(3),
                        "categories.MOVE", equalTo(2), "categories.BLOCKED", equalTo(1), "categories.NO_MATCH", equalTo(1),
                        "categories.SKIPPED", equalTo(1))
                .extract().path("id");

        given().get("/api/plans/{id}", planId).then().statusCode(200)
                .body("items", hasSize(5),
                        "items[0].email", equalTo("ada@example.com"),
                        "items[0].action", equalTo("MOVE"),
                        "items[0].fromPolicy", equalTo("Local accounts"),
                        "items[0].toPolicy", equalTo("Entra SSO"),
                        "items[0].steps.action", equalTo(List.of("READ_CURRENT_POLICY", "ADD_TO_ENTRA_SCOPE", "WAIT_FOR_SCIM_LINK",
                                "ADD_TO_AUTH_POLICY")),
                        "items[0].steps[1].body", containsString("obj-ada"),
                        "items[1].email", equalTo("linus@example.com"),
                        "items[2].category", equalTo("BLOCKED"),
                        "items[2].reason", containsString("IDP_GUEST"),
                        "items[2].steps", hasSize(0),
                        "items[3].reason", containsString("NO_MATCH"));

        given().accept("text/plain").get("/api/plans/{id}", planId).then().statusCode(200)
                .body(containsString("2 moves to 'Entra SSO', 3 excluded"));
    }

    @Test
    void badRequestsGetProblemDetails() {
        given().contentType("application/json").body("{\"name\":\"x\"}").post("/api/plans").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("atlassianSource"));
        given().contentType("application/json").body("{\"atlassianSource\":\"nobody\"}").post("/api/plans").then()
                .statusCode(409).contentType("application/problem+json");
        given().contentType("application/json").body("{not json").post("/api/plans").then()
                .statusCode(400);
        given().get("/api/plans/{id}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    private void send(EventEnvelope<MatchDecided> event) {
        KafkaTestClient.send(messaging.topic(Topics.MATCH), event);
    }

    private static EventEnvelope<MatchDecided> decision(String source, String email, MatchOutcome outcome, String idp,
                                                        List<String> flags, long revision) {
        return EventEnvelope.of("/test", EventTypes.MATCH_DECIDED_V1, source + "/" + email,
                new MatchDecided(source, email, email, "Someone", outcome, idp == null ? null : "entra", idp,
                        idp == null ? 0 : 0.99, idp == null ? null : "EMAIL_EQUALS_MAIL", List.of(), flags,
                        "Local accounts", outcome + " for test", revision));
    }
}
