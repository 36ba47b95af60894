package io.relink.inventory.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.ChangeType;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.IdentityChanged;
import io.relink.events.Topics;
import io.relink.inventory.config.InventoryConfig;
import io.relink.inventory.repository.SnapshotPublicationRepository;
import io.relink.inventory.repository.SnapshotPublicationRepository.Change;
import io.relink.inventory.repository.SnapshotPublicationRepository.Phase;
import io.relink.inventory.repository.SnapshotPublicationRepository.Publication;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A snapshot's events are published from its records, batch by batch (the test profile's batches hold 2 changes): in
 * external-id order, added and changed first, then removed, then snapshot-completed. A publication goes on from the
 * position it recorded, and what it sends again carries the same event ids (consumers drop repeats by id).
 */
@QuarkusTest
class SnapshotPublisherTest {

    private static final String HEADER = "Name,Email,Status,Policy name\n";
    private static final String LETTERS = "abcdefghij";

    @Inject
    MessagingConfig messaging;

    @Inject
    InventoryConfig config;

    @Inject
    SnapshotPublicationRepository publications;

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource database;

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    @Test
    void aPublicationSendsItsChangesInOrderAndGoesOnFromItsPositionWithTheSameEventIds() throws Exception {
        assertThat(config.eventBatchSize()).as("the test profile's batch size (several batches per phase)").isEqualTo(2);
        String source = "published-" + UUID.randomUUID().toString().substring(0, 8);
        String v1 = upload(source, LETTERS.chars().mapToObj(c -> row((char) c, "Local accounts")).collect(Collectors.joining()));
        // v2: a and b change policy, d and f leave (2 of 10: under the truncated-export guard), k joins.
        String v2 = upload(source, Stream.of(row('a', "Entra SSO"), row('b', "Entra SSO"), row('c', "Local accounts"),
                row('e', "Local accounts"), row('g', "Local accounts"), row('h', "Local accounts"), row('i', "Local accounts"),
                row('j', "Local accounts"), row('k', "Local accounts")).collect(Collectors.joining()));
        awaitPublished(v2);

        // What the publisher reads, phase by phase and batch by batch, from a position.
        Publication start = publication(v2, v1, Phase.CHANGES, null, Instant.now());
        assertThat(read(publications::changes, start)).containsExactly(
                new Change(email('a'), false, null), new Change(email('b'), false, null));
        assertThat(read(publications::changes, start.at(email('b')))).containsExactly(new Change(email('k'), true, null));
        assertThat(read(publications::removals, start)).containsExactly(
                new Change(email('d'), false, null), new Change(email('f'), false, null));
        assertThat(read(publications::removals, start.at(email('f')))).isEmpty();

        // On Kafka: every change of v2 once, with the types of its diff.
        List<EventEnvelope<JsonNode>> first = eventsOf(v2, 6);
        assertThat(first.stream().filter(e -> e.type().equals(EventTypes.IDENTITY_CHANGED_V1))
                .map(e -> EventCodec.data(e, IdentityChanged.class))
                .map(change -> change.externalId().charAt(0) + ":" + change.change()))
                .containsExactlyInAnyOrder("a:" + ChangeType.CHANGED, "b:" + ChangeType.CHANGED, "k:" + ChangeType.ADDED,
                        "d:" + ChangeType.REMOVED, "f:" + ChangeType.REMOVED);
        assertThat(first).filteredOn(e -> e.type().equals(EventTypes.SNAPSHOT_COMPLETED_V1)).hasSize(1);
        assertThat(first.stream().filter(e -> e.type().equals(EventTypes.IDENTITY_CHANGED_V1))
                .map(e -> EventCodec.data(e, IdentityChanged.class)).filter(c -> c.change() != ChangeType.REMOVED))
                .as("identities as they are in v2")
                .extracting(c -> c.identity().email(), c -> c.identity().authPolicy())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(email('a'), "Entra SSO"),
                        org.assertj.core.groups.Tuple.tuple(email('b'), "Entra SSO"),
                        org.assertj.core.groups.Tuple.tuple(email('k'), "Local accounts"));

        // A restart after the first batch was recorded (a and b sent): the rest again, with the ids it had before.
        Instant queuedAt = first.get(0).time();
        try (Connection connection = database.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "insert into snapshot_publication (snapshot_id, previous_snapshot_id, phase, after_external_id, queued_at) "
                        + "values (?, ?, 'CHANGES', ?, ?)")) {
            insert.setObject(1, UUID.fromString(v2));
            insert.setObject(2, UUID.fromString(v1));
            insert.setString(3, email('b'));
            insert.setTimestamp(4, Timestamp.from(queuedAt));
            insert.executeUpdate();
        }
        Map<String, List<String>> subjectsById = eventsOf(v2, 6 + 4).stream().collect(Collectors.groupingBy(
                EventEnvelope::id, Collectors.mapping(EventEnvelope::subject, Collectors.toList())));
        assertThat(subjectsById).as("each event id of the first publication, with what was sent under it")
                .hasSize(6)
                .containsEntry(idOf(first, email('a')), List.of(source + "/" + email('a')))
                .containsEntry(idOf(first, email('b')), List.of(source + "/" + email('b')))
                .containsEntry(idOf(first, email('k')), List.of(source + "/" + email('k'), source + "/" + email('k')))
                .containsEntry(idOf(first, email('d')), List.of(source + "/" + email('d'), source + "/" + email('d')))
                .containsEntry(idOf(first, email('f')), List.of(source + "/" + email('f'), source + "/" + email('f')))
                .containsEntry(idOf(first, null), List.of(source, source));
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            var rows = sql.executeQuery("select count(*) from snapshot_publication where snapshot_id = '" + v2 + "'");
            rows.next();
            assertThat(rows.getLong(1)).as("publications left of v2").isZero();
        }
    }

    /** The id of the event about {@code externalId} (null: snapshot-completed). */
    private static String idOf(List<EventEnvelope<JsonNode>> events, String externalId) {
        return events.stream().filter(e -> externalId == null ? e.type().equals(EventTypes.SNAPSHOT_COMPLETED_V1)
                : externalId.equals(e.data().path("externalId").asText())).map(EventEnvelope::id).findFirst().orElseThrow();
    }

    private static String row(char letter, String policy) {
        return letter + "," + email(letter) + ",Active," + policy + "\n";
    }

    private static String email(char letter) {
        return letter + "@published.example";
    }

    private static String upload(String source, String rows) {
        return given().contentType("text/csv").queryParam("format", "atlassian-csv").body(HEADER + rows)
                .post("/api/sources/{source}/snapshots", source).then().statusCode(201).extract().path("id");
    }

    private static void awaitPublished(String snapshotId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/snapshots/{id}", snapshotId)
                .then().statusCode(200).body("publishedAt", notNullValue()));
    }

    private static Publication publication(String snapshotId, String previousId, Phase phase, String after, Instant queuedAt) {
        return new Publication(UUID.fromString(snapshotId), UUID.fromString(previousId), "unused", null, 2, 0, 0, 0, 0,
                phase, after, null, queuedAt);
    }

    /** The changes a read returns, without their identities (compared by external id and kind). */
    private List<Change> read(ChangeReader reader, Publication publication) {
        return pool.withTransaction(connection -> reader.apply(connection, publication, config.eventBatchSize()))
                .await().atMost(Duration.ofSeconds(10))
                .stream().map(change -> new Change(change.externalId(), change.added(), null)).toList();
    }

    @FunctionalInterface
    private interface ChangeReader {
        Uni<List<Change>> apply(SqlConnection connection, Publication publication,
                                                   int limit);
    }

    /** The events of one snapshot on the identity topic, in the order read, once there are at least {@code count}. */
    private List<EventEnvelope<JsonNode>> eventsOf(String snapshotId, int count) {
        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(messaging.topic(Topics.IDENTITY),
                Duration.ofSeconds(30), read -> ofSnapshot(read, snapshotId).size() >= count);
        List<EventEnvelope<JsonNode>> events = ofSnapshot(records, snapshotId);
        assertThat(events).as("events of snapshot %s", snapshotId).hasSize(count);
        return events;
    }

    private static List<EventEnvelope<JsonNode>> ofSnapshot(
            List<ConsumerRecord<String, String>> records, String snapshotId) {
        return records.stream().map(r -> EventCodec.decode(r.value()))
                .filter(e -> snapshotId.equals(e.data().path("snapshotId").asText())).toList();
    }
}
