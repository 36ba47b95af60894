package io.relink.executor.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.executor.ReceivedDecision;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Match decisions in through the real broker, a poll at a time: newest revision wins, nothing applied twice. */
@QuarkusTest
class MatchDecisionConsumerTest {

    @Inject
    MessagingConfig messaging;

    @Test
    void storesTheNewestRevisionOnceAndDeadLettersWhatCannotBeRead() {
        String source = "atl-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = messaging.topic(Topics.MATCH);
        EventEnvelope<MatchDecided> first = decided(source, "ada", MatchOutcome.NO_MATCH, null, 1);
        KafkaTestClient.send(topic, first);
        KafkaTestClient.send(topic, decided(source, "ada", MatchOutcome.MATCHED, "obj-ada", 2));
        KafkaTestClient.send(topic, decided(source, "grace", MatchOutcome.REVIEW, null, 1));
        KafkaTestClient.send(topic, first);                                                   // redelivered: same event id
        KafkaTestClient.send(topic, decided(source, "ada", MatchOutcome.NO_MATCH, null, 1));  // a replayed older revision
        KafkaTestClient.sendRaw(topic, source + "/broken", "{not json");
        KafkaTestClient.send(topic, decided(source, "marker", MatchOutcome.NO_MATCH, null, 1));

        await().atMost(Duration.ofSeconds(30)).until(() -> stored(source, "marker") != null);
        ReceivedDecision ada = stored(source, "ada");
        assertThat(ada.outcome).isEqualTo(MatchOutcome.MATCHED);
        assertThat(ada.idpUserId).isEqualTo("obj-ada");
        assertThat(ada.revision).isEqualTo(2);
        assertThat(stored(source, "grace").outcome).isEqualTo(MatchOutcome.REVIEW);
        assertThat(count(source)).isEqualTo(3);

        List<ConsumerRecord<String, String>> dead = KafkaTestClient.readUntil(messaging.topic(Topics.MATCH) + ".executor.dlq",
                Duration.ofSeconds(30), read -> read.stream().anyMatch(r -> (source + "/broken").equals(r.key())));
        ConsumerRecord<String, String> broken = dead.stream().filter(r -> (source + "/broken").equals(r.key())).findFirst().orElseThrow();
        assertThat(broken.value()).isEqualTo("{not json");
        assertThat(new String(broken.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).isNotBlank();
    }

    private static EventEnvelope<MatchDecided> decided(String source, String account, MatchOutcome outcome, String idpUserId,
                                                       long revision) {
        return EventEnvelope.of("/test", EventTypes.MATCH_DECIDED_V1, source + "/" + account,
                new MatchDecided(source, account, account + "@example.com", account, outcome, idpUserId == null ? null : "entra",
                        idpUserId, idpUserId == null ? 0 : 1.0, null, List.of(), List.of(), "Local accounts", "test", revision));
    }

    private static ReceivedDecision stored(String source, String account) {
        return read(() -> ReceivedDecision.<ReceivedDecision>findById(source + "/" + account));
    }

    private static long count(String source) {
        return read(() -> ReceivedDecision.count("atlassianSource", source));
    }

    private static <T> T read(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> query) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(query));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
