package io.relink.matcher.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.relink.events.ChangeType;
import io.relink.events.CloudEventsBinary;
import io.relink.events.EventCodec;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.support.messaging.KafkaHeaders;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code relink.messaging.cloudevents-mode=binary}: identity events in binary mode are read, and decisions go out
 * in binary mode (attributes in ce_* headers, the value is the data alone), which any reader of the contract decodes.
 */
@QuarkusTest
@TestProfile(BinaryCloudEventsTest.BinaryMode.class)
class BinaryCloudEventsTest {

    public static class BinaryMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relink.messaging.cloudevents-mode", "binary");
        }
    }

    @Inject
    MessagingConfig messaging;

    @Test
    void binaryModeEventsAreReadAndWritten() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "grace." + run + "@example.com";
        sendBinary(IdentityEventConsumerTest.entraUser("entra-" + run, "obj-" + run, email, ChangeType.ADDED));
        // One structured event in the same stream, as a structured-mode producer writes it: readers take both modes.
        var account = IdentityEventConsumerTest.atlassian("atl-" + run, email, 1);
        KafkaTestClient.sendRaw(messaging.topic(Topics.IDENTITY), account.subject(),
                Map.of(CloudEventsBinary.CONTENT_TYPE_HEADER, CloudEventsBinary.STRUCTURED_CONTENT_TYPE), EventCodec.encode(account));

        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(messaging.topic(Topics.MATCH),
                Duration.ofSeconds(30), read -> read.stream().anyMatch(r -> r.value().contains(email)));
        ConsumerRecord<String, String> decision = records.stream().filter(r -> r.value().contains(email)).findFirst().orElseThrow();
        Map<String, String> headers = KafkaHeaders.asMap(decision.headers());
        assertThat(headers).containsEntry("ce_specversion", "1.0").containsEntry("ce_type", EventTypes.MATCH_DECIDED_V1)
                .containsEntry("ce_subject", "atl-" + run + "/" + email).containsEntry("content-type", "application/json")
                .containsKeys("ce_id", "ce_source", "ce_time");
        assertThat(decision.value()).as("the value is the data alone").doesNotContain("specversion").startsWith("{\"atlassianSource\"");
        MatchDecided decided = EventCodec.data(EventCodec.decode(headers, decision.value()), MatchDecided.class);
        assertThat(decided.outcome()).isEqualTo(MatchOutcome.MATCHED);
        assertThat(decided.idpUserId()).isEqualTo("obj-" + run);
    }

    private void sendBinary(io.relink.events.EventEnvelope<?> event) {
        CloudEventsBinary.Record binary = CloudEventsBinary.of(EventCodec.encode(event));
        KafkaTestClient.sendRaw(messaging.topic(Topics.IDENTITY), event.subject(), binary.headers(), binary.value());
    }
}
