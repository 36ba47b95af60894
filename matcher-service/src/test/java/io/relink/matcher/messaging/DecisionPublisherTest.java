package io.relink.matcher.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Decisions go out from their own table: the newest state of each, a key's in the order they were written, one batch
 * in flight across replicas, and with the same event ids when a batch is sent again after a crash (so consumers drop it).
 */
@QuarkusTest
class DecisionPublisherTest {

    private static final String LOCK = "hashtext(current_schema() || '.decision-publisher')";

    @Inject
    AgroalDataSource database;

    @Inject
    MessagingConfig messaging;

    @Test
    void decisionsGoOutAsTheyAreNowInTheOrderTheyWereWrittenAndOnlyFromTheReplicaHoldingTheLock() throws Exception {
        String run = "publisher-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = messaging.topic(Topics.MATCH);
        try (Connection otherReplica = database.getConnection(); Statement sql = otherReplica.createStatement()) {
            sql.execute("select pg_advisory_lock(" + LOCK + ")");
            try (Connection writer = database.getConnection()) {
                write(writer, run, "c", 1, MatchOutcome.REVIEW);
                write(writer, run, "a", 1, MatchOutcome.NO_MATCH);
                write(writer, run, "b", 1, MatchOutcome.REVIEW);
                write(writer, run, "a", 2, MatchOutcome.MATCHED); // written again before it went out
            }
            // Several rounds (every second, and after every consumer batch) pass while the lock is held elsewhere.
            List<ConsumerRecord<String, String>> early = KafkaTestClient.readUntil(topic, Duration.ofSeconds(4),
                    read -> !ours(read, run).isEmpty());
            assertThat(ours(early, run)).as("sent while another replica held the publisher's lock").isEmpty();
            sql.execute("select pg_advisory_unlock(" + LOCK + ")");
        }
        List<ConsumerRecord<String, String>> sent = KafkaTestClient.readUntil(topic, Duration.ofSeconds(30),
                read -> ours(read, run).size() >= 3);
        // Each account once, as it is now (a's first state never went out); keys are the decisions' ids.
        assertThat(decisions(sent, run)).extracting(MatchDecided::accountId)
                .containsExactlyInAnyOrder(run + "-a", run + "-b", run + "-c");
        assertThat(decisions(sent, run)).filteredOn(d -> d.accountId().equals(run + "-a"))
                .extracting(MatchDecided::outcome, MatchDecided::revision).containsExactly(tuple(MatchOutcome.MATCHED, 2L));
        assertThat(ours(sent, run)).allMatch(r -> r.key().equals("pub-test/" + EventCodec.data(EventCodec.decode(r.value()),
                MatchDecided.class).accountId()));
        // Written again once sent: it goes out again, after the first (one key, one partition, in order).
        try (Connection writer = database.getConnection()) {
            write(writer, run, "a", 3, MatchOutcome.REVIEW);
            write(writer, run, "a", 4, MatchOutcome.NO_MATCH);
        }
        List<ConsumerRecord<String, String>> later = KafkaTestClient.readUntil(topic, Duration.ofSeconds(30),
                read -> decisions(read, run).stream().anyMatch(d -> d.revision() == 4));
        assertThat(decisions(later, run)).filteredOn(d -> d.accountId().equals(run + "-a")).extracting(MatchDecided::revision)
                .as("a's decisions in the order they were written (3 may have been sent before 4 was written, or not)")
                .isSubsetOf(2L, 3L, 4L).startsWith(2L).endsWith(4L).isSorted();
    }

    @Test
    void aBatchSentAgainAfterACrashCarriesTheSameEventIds() throws Exception {
        String run = "resend-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = messaging.topic(Topics.MATCH);
        long first;
        try (Connection writer = database.getConnection()) {
            first = write(writer, run, "x", 1, MatchOutcome.NO_MATCH);
            write(writer, run, "y", 1, MatchOutcome.REVIEW);
        }
        List<String> ids = ids(KafkaTestClient.readUntil(topic, Duration.ofSeconds(30), read -> ours(read, run).size() >= 2), run);
        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        // A crash after the broker acknowledged the batch and before the position was recorded: the position is older.
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.executeUpdate("update decision_publication set published_seq = least(published_seq, " + (first - 1) + ")");
        }
        List<String> again = ids(KafkaTestClient.readUntil(topic, Duration.ofSeconds(30), read -> ours(read, run).size() >= 4), run);
        assertThat(again).hasSize(4);
        assertThat(again.subList(2, 4)).containsExactlyElementsOf(ids);
    }

    /** Writes a decision as the matcher does: the next number of the publication order with each write. */
    private static long write(Connection writer, String run, String account, long revision, MatchOutcome outcome) throws Exception {
        try (PreparedStatement insert = writer.prepareStatement("""
                insert into match_decision (id, atlassian_source, account_id, email, outcome, confidence, evidence, flags,
                                            revision, decided_at, publish_seq)
                values (?, 'pub-test', ?, ?, ?, 0, '[]', '[]', ?, now(), nextval('match_decision_publish_seq'))
                on conflict (id) do update set outcome = excluded.outcome, revision = excluded.revision,
                    decided_at = excluded.decided_at, publish_seq = excluded.publish_seq
                returning publish_seq""")) {
            insert.setString(1, "pub-test/" + run + "-" + account);
            insert.setString(2, run + "-" + account);
            insert.setString(3, account + "@" + run + ".example");
            insert.setString(4, outcome.name());
            insert.setLong(5, revision);
            try (ResultSet number = insert.executeQuery()) {
                number.next();
                return number.getLong(1);
            }
        }
    }

    private static List<ConsumerRecord<String, String>> ours(List<ConsumerRecord<String, String>> records, String run) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith("pub-test/" + run + "-")).toList();
    }

    private static List<MatchDecided> decisions(List<ConsumerRecord<String, String>> records, String run) {
        return ours(records, run).stream().map(r -> EventCodec.data(EventCodec.decode(r.value()), MatchDecided.class)).toList();
    }

    private static List<String> ids(List<ConsumerRecord<String, String>> records, String run) {
        return ours(records, run).stream().map(r -> EventCodec.decode(r.value())).map(EventEnvelope::id).toList();
    }
}
