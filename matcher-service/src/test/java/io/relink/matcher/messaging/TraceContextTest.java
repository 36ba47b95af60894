package io.relink.matcher.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.IdentityChanged;
import io.relink.events.MatchDecided;
import io.relink.events.Topics;
import io.relink.support.messaging.KafkaHeaders;
import io.relink.support.messaging.MessagingConfig;
import io.relink.support.messaging.TraceContext;
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
 * The trace context crosses the matcher: an identity event that arrives with a {@code traceparent} header produces a
 * decision event in the same trace (same trace id, the matcher's own span id).
 */
@QuarkusTest
class TraceContextTest {

    @Inject
    MessagingConfig messaging;

    @Test
    void aDecisionContinuesTheTraceOfTheEventThatCausedIt() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String traced = "traced." + run + "@example.com";
        String untraced = "untraced." + run + "@example.com";
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String parentSpan = "00f067aa0ba902b7";
        EventEnvelope<IdentityChanged> event = IdentityEventConsumerTest.atlassian("atl-" + run, traced, 1);
        KafkaTestClient.sendRaw(messaging.topic(Topics.IDENTITY), event.subject(),
                Map.of(TraceContext.HEADER, "00-" + traceId + "-" + parentSpan + "-00"), EventCodec.encode(event));
        EventEnvelope<IdentityChanged> other = IdentityEventConsumerTest.atlassian("atl-" + run, untraced, 1);
        KafkaTestClient.sendRaw(messaging.topic(Topics.IDENTITY), other.subject(), EventCodec.encode(other));

        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(messaging.topic(Topics.MATCH),
                Duration.ofSeconds(30), read -> decision(read, traced) != null && decision(read, untraced) != null);
        String traceParent = KafkaHeaders.asMap(decision(records, traced).headers()).get(TraceContext.HEADER);
        assertThat(traceParent).as("the decision's traceparent header").isNotNull()
                .matches("00-" + traceId + "-[0-9a-f]{16}-0[01]")
                .doesNotContain(parentSpan);
        String otherParent = KafkaHeaders.asMap(decision(records, untraced).headers()).get(TraceContext.HEADER);
        if (otherParent != null) {
            // Applied in another batch: a trace of its own. In the same batch: the batch's trace (a link to the first).
            assertThat(otherParent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        }
    }

    private static ConsumerRecord<String, String> decision(List<ConsumerRecord<String, String>> records, String accountId) {
        return records.stream().filter(r -> accountId.equals(EventCodec.data(EventCodec.decode(r.value()), MatchDecided.class).accountId()))
                .findFirst().orElse(null);
    }
}
