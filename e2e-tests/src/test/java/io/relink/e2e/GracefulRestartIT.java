package io.relink.e2e;

import io.relink.events.EventTypes;
import io.relink.events.Topics;
import io.relink.testing.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Orchestrators stop services with SIGTERM (rolling updates, scale-down). Events in flight at that moment must be
 * redelivered after the restart, not dead-lettered: the matcher is stopped twice in the middle of a snapshot's
 * stream, and every account still gets its decision while the dead-letter topic stays empty.
 */
class GracefulRestartIT {

    private static final int ACCOUNTS = 400;
    private static final long SEED = 11;
    private static final String MATCHER = "matcher-service";

    private static RunningServices services;

    @TempDir
    static Path data;

    @BeforeAll
    static void startServices() throws Exception {
        services = RunningServices.start(Map.of(), "inventory-service", MATCHER);
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void stoppingTheMatcherMidStreamLosesNoEvent() throws Exception {
        SampleOrgUpload.entraThenAtlassian(services, data, ACCOUNTS, SEED, "contoso", "acme");
        for (int stopAt : new int[]{ACCOUNTS / 8, ACCOUNTS / 2}) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> indexed("acme") >= stopAt);
            services.stop(MATCHER);
            services.restart(MATCHER);
        }

        await().atMost(Duration.ofSeconds(300)).untilAsserted(() -> given().baseUri(services.url(MATCHER))
                .queryParam("source", "acme").accept("application/json").get("/api/matches/summary")
                .then().body("total", equalTo(ACCOUNTS)));
        List<ConsumerRecord<String, String>> deadLetters = KafkaTestClient.readAll(
                services.topicPrefix() + Topics.IDENTITY + ".matcher.dlq", Duration.ofSeconds(30));
        assertThat(deadLetters).as("events dead-lettered by the stops").isEmpty();

        replayingTheWholeLogChangesNothing();
    }

    /**
     * {@code ./relink replay matcher --from earliest}: the matcher reads every identity event again, skips each one as
     * already applied, and neither a decision nor an event changes.
     */
    private void replayingTheWholeLogChangesNothing() throws Exception {
        String decided = decisions();
        // The summary counts decisions as they are written; their events follow from the decision publisher.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(RunningServices.count(RunningServices.UNPUBLISHED_DECISIONS)).as("decision events unsent").isZero());
        List<ConsumerRecord<String, String>> published = KafkaTestClient.readAll(services.topicPrefix() + Topics.MATCH,
                Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> inventoryRecords = KafkaTestClient.readAll(services.topicPrefix() + Topics.IDENTITY,
                Duration.ofSeconds(30));
        long identityEvents = inventoryRecords.stream()
                .filter(r -> r.value().contains("\"" + EventTypes.IDENTITY_CHANGED_V1 + "\"")).count();

        RunningServices.CommandResult refused = services.cli("replay", "matcher", "--from", "earliest", "--wait", "0");
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
        assertThat(refused.output()).contains("active member", "stop the service first");

        services.stop(MATCHER);
        RunningServices.CommandResult replay = services.cli("replay", "matcher", "--from", "earliest");
        assertThat(replay.exitCode()).as(replay.output()).isZero();
        assertThat(replay.output()).contains(inventoryRecords.size() + " record(s) will be read again");
        services.restart(MATCHER);

        String skipped = "relink_events_consumed_total{consumer=\"matcher.identity-events\",outcome=\"duplicate\"}";
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(services.metric(MATCHER, skipped))
                .as(() -> "events the matcher skipped as applied before; it counted: " + services.metrics(MATCHER).lines()
                        .filter(line -> line.startsWith("relink_events_consumed")).toList())
                .isGreaterThanOrEqualTo(identityEvents));
        assertThat(services.metric(MATCHER, "relink_events_consumed_total{consumer=\"matcher.identity-events\",outcome=\"applied\"}"))
                .as("events applied again").isZero();
        assertThat(decisions()).as("decisions after the replay").isEqualTo(decided);
        // A decision written by the replay would wait for the decision publisher: none is waiting, so the topic is complete.
        assertThat(RunningServices.count(RunningServices.UNPUBLISHED_DECISIONS)).as("decision events unsent").isZero();
        assertThat(KafkaTestClient.readAll(services.topicPrefix() + Topics.MATCH, Duration.ofSeconds(30)))
                .as("decision events after the replay").hasSameSizeAs(published);
    }

    /** Every decision with its revision, as the API lists them. */
    private static String decisions() {
        return given().baseUri(services.url(MATCHER)).queryParam("source", "acme").queryParam("limit", 10000)
                .get("/api/matches").then().statusCode(200).extract().jsonPath().getList("").stream()
                .map(d -> ((Map<?, ?>) d).get("accountId") + "=" + ((Map<?, ?>) d).get("outcome") + "@" + ((Map<?, ?>) d).get("revision"))
                .sorted().toList().toString();
    }

    private static long indexed(String source) {
        return given().baseUri(services.url(MATCHER)).queryParam("source", source).get("/api/identities/count")
                .then().extract().jsonPath().getLong("count");
    }
}
