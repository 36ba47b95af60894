package io.relink.inventory.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.relink.events.ChangeType;
import io.relink.events.EventCodec;
import io.relink.events.EventTypes;
import io.relink.events.IdentityChanged;
import io.relink.events.SourceKind;
import io.relink.events.Topics;
import io.relink.support.messaging.KafkaHeaders;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** An HR change feed on an external topic becomes a source: upserts and deletes turn into snapshots and identity events. */
@QuarkusTest
@TestProfile(ChangeFeedConsumerTest.FeedEnabled.class)
class ChangeFeedConsumerTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    static final String FEED = "test-feed-" + UUID.randomUUID().toString().substring(0, 8) + ".hr-changes";

    public static class FeedEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.identity-change-feed.enabled", "true",
                    "mp.messaging.incoming.identity-change-feed.topic", FEED,
                    "mp.messaging.outgoing.change-feed-dead-letters.topic", FEED + ".inventory.dlq");
        }
    }

    @Inject
    MessagingConfig messaging;

    @Test
    void changesBecomeSnapshotsAndBadRecordsAreDeadLetteredWithTheField() {
        String source = "hr-" + UUID.randomUUID().toString().substring(0, 8);
        send("E1", "{\"source\":\"" + source + "\",\"op\":\"upsert\",\"id\":\"E1\",\"displayName\":\"Ada Lovelace\","
                + "\"email\":\" Ada@Acme.example \",\"aliases\":[\"ada@old.example\"],\"userType\":\"Member\"}");
        send("E2", "{\"source\":\"" + source + "\",\"op\":\"upsert\",\"id\":\"E2\",\"email\":\"grace@acme.example\",\"active\":false}");
        send("E3", "{\"source\":\"" + source + "\",\"op\":\"upsert\",\"id\":\"E3\",\"email\":\"not-an-address\"}");
        send("E4", "{\"source\":\"" + source + "\",\"op\":\"rename\",\"id\":\"E4\"}");
        send("E5", "not json at all");
        // However the records fall into polls, the newest version holds the two valid people.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/sources/{source}/snapshots", source)
                .then().statusCode(200).body("max { it.version }.total", equalTo(2), "max { it.version }.format", equalTo("change-feed")));

        // A later delete of E2 and a changed E1, wrapped as a CloudEvents envelope: the next version.
        send("E2", "{\"source\":\"" + source + "\",\"op\":\"delete\",\"id\":\"E2\"}");
        send("E1", "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/hr\",\"type\":\"hr.person.changed\",\"data\":"
                + "{\"source\":\"" + source + "\",\"op\":\"upsert\",\"id\":\"E1\",\"displayName\":\"Ada King\",\"email\":\"ada@acme.example\"}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/sources/{source}/snapshots", source)
                .then().statusCode(200).body("max { it.version }.total", equalTo(1)));

        List<IdentityChanged> changes = KafkaTestClient.readUntil(messaging.topic(Topics.IDENTITY), Duration.ofSeconds(30),
                read -> changesOf(read, source).size() >= 4).stream()
                .filter(r -> r.value().contains(source)).map(r -> EventCodec.decode(r.value()))
                .filter(e -> e.type().equals(EventTypes.IDENTITY_CHANGED_V1))
                .map(e -> EventCodec.data(e, IdentityChanged.class)).toList();
        assertThat(changes).allMatch(c -> c.sourceKind() == SourceKind.ENTRA);
        assertThat(changes).extracting(IdentityChanged::externalId, IdentityChanged::change)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("E1", ChangeType.ADDED),
                        org.assertj.core.groups.Tuple.tuple("E2", ChangeType.ADDED),
                        org.assertj.core.groups.Tuple.tuple("E1", ChangeType.CHANGED),
                        org.assertj.core.groups.Tuple.tuple("E2", ChangeType.REMOVED));
        assertThat(changes.stream().filter(c -> c.externalId().equals("E1") && c.change() == ChangeType.CHANGED).findFirst()
                .orElseThrow().identity().displayName()).isEqualTo("Ada King");
        IdentityChanged ada = changes.stream().filter(c -> c.change() == ChangeType.ADDED && c.externalId().equals("E1")).findFirst().orElseThrow();
        assertThat(ada.identity().emailNormalized()).isEqualTo("ada@acme.example");
        assertThat(ada.identity().secondaryEmailsNormalized()).containsExactly("ada@old.example");

        List<ConsumerRecord<String, String>> dead = KafkaTestClient.readUntil(FEED + ".inventory.dlq", Duration.ofSeconds(30),
                read -> read.size() >= 3);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("E3", "E4", "E5");
        assertThat(dead).extracting(r -> KafkaHeaders.asMap(r.headers()).get("dead-letter-reason"))
                .anySatisfy(reason -> assertThat(reason).contains("email", "not-an-address"))
                .anySatisfy(reason -> assertThat(reason).contains("op", "rename"))
                .anySatisfy(reason -> assertThat(reason).contains("not JSON"));
    }

    private static List<ConsumerRecord<String, String>> changesOf(List<ConsumerRecord<String, String>> records, String source) {
        return records.stream().filter(r -> r.value().contains("\"" + source + "\"") && r.value().contains(EventTypes.IDENTITY_CHANGED_V1)).toList();
    }

    private static void send(String key, String value) {
        KafkaTestClient.sendRaw(FEED, key, value);
    }
}
