package io.relink.inventory.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.EventCodec;
import io.relink.events.Topics;
import io.relink.support.messaging.KafkaHeaders;
import io.relink.support.messaging.MessagingConfig;
import io.relink.support.messaging.TraceContext;
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

/**
 * An upload made in a trace (the caller's {@code traceparent} header) publishes its events in that trace: every
 * record carries a {@code traceparent} header with the caller's trace id, however much later the outbox relay sends it.
 */
@QuarkusTest
class TraceContextTest {

    @Inject
    MessagingConfig messaging;

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    @Test
    void theEventsOfATracedUploadCarryTheCallersTrace() {
        String source = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = "a3ce929d0e0e4736";
        given().header(TraceContext.HEADER, "00-" + traceId + "-" + callerSpan + "-00")
                .contentType("text/csv").queryParam("format", "atlassian-csv")
                .body("Name,Email,Status\nAda,ada@trace.example,Active\nGrace,grace@trace.example,Active\n")
                .post("/api/sources/{source}/snapshots", source).then().statusCode(201);

        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(messaging.topic(Topics.IDENTITY),
                Duration.ofSeconds(30), read -> ofSource(read, source).size() >= 3); // 2 identities + snapshot completed
        assertThat(ofSource(records, source)).as("one traceparent header per record")
                .allSatisfy(record -> assertThat(record.headers().headers(TraceContext.HEADER)).hasSize(1));
        assertThat(ofSource(records, source)).hasSize(3).allSatisfy(record -> assertThat(
                        KafkaHeaders.asMap(record.headers()).get(TraceContext.HEADER)).as("traceparent of %s", record.key())
                .matches("00-" + traceId + "-[0-9a-f]{16}-00")
                .doesNotContain(callerSpan));
    }

    private static List<ConsumerRecord<String, String>> ofSource(List<ConsumerRecord<String, String>> records, String source) {
        return records.stream().filter(r -> r.key().startsWith(source)).toList();
    }
}
