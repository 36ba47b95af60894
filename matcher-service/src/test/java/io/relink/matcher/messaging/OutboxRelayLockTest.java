package io.relink.matcher.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.Topics;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One outbox batch in flight per service: while another replica holds the relay lock, this one sends nothing; once it
 * is released, everything goes out in the order it was written.
 */
@QuarkusTest
class OutboxRelayLockTest {

    @Inject
    AgroalDataSource database;

    @Inject
    MessagingConfig messaging;

    @Test
    void whileAnotherReplicaRelaysNothingIsSentTwiceOrOutOfOrder() throws Exception {
        String key = "relay-lock/" + UUID.randomUUID();
        String topic = messaging.topic(Topics.MATCH);
        try (Connection otherReplica = database.getConnection(); Statement sql = otherReplica.createStatement()) {
            sql.execute("select pg_advisory_lock(hashtext(current_schema() || '.outbox-relay'))");
            try (Connection writer = database.getConnection()) {
                for (int i = 1; i <= 3; i++) {
                    insert(writer, topic, key, i);
                }
            }
            // Several relay rounds (every second) pass while the lock is held elsewhere.
            List<ConsumerRecord<String, String>> early = KafkaTestClient.readUntil(topic, Duration.ofSeconds(4),
                    read -> read.stream().anyMatch(r -> key.equals(r.key())));
            assertThat(early).noneMatch(r -> key.equals(r.key()));
            sql.execute("select pg_advisory_unlock(hashtext(current_schema() || '.outbox-relay'))");
        }
        List<ConsumerRecord<String, String>> sent = KafkaTestClient.readUntil(topic, Duration.ofSeconds(30),
                read -> read.stream().filter(r -> key.equals(r.key())).count() >= 3);
        assertThat(sent.stream().filter(r -> key.equals(r.key()))
                .map(r -> EventCodec.decode(r.value()).data().path("n").asInt())).containsExactly(1, 2, 3);
    }

    private static void insert(Connection writer, String topic, String key, int n) throws Exception {
        String payload = EventCodec.encode(EventEnvelope.of("/test", EventTypes.MATCH_REVIEWED_V1, key, Map.of("n", n)));
        try (PreparedStatement insert = writer.prepareStatement("insert into outbox_event (id, topic, message_key, event_type, "
                + "payload, created_at) values (?, ?, ?, ?, ?, clock_timestamp())")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, topic);
            insert.setString(3, key);
            insert.setString(4, EventTypes.MATCH_REVIEWED_V1);
            insert.setString(5, payload);
            insert.executeUpdate();
        }
    }
}
