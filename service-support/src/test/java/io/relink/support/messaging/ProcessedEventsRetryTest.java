package io.relink.support.messaging;

import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A consumer must not dead-letter an event because the database was briefly away (e.g. during a restart). */
class ProcessedEventsRetryTest {

    private static final MessagingConfig CONFIG = new SmallRyeConfigBuilder().withMapping(MessagingConfig.class)
            .withDefaultValue("relink.messaging.event-source", "/test")
            .withDefaultValue("relink.messaging.consumer.initial-backoff", "PT0.001S")
            .withDefaultValue("relink.messaging.consumer.max-backoff", "PT0.002S")
            .withDefaultValue("relink.messaging.consumer.max-attempts", "3")
            .build().getConfigMapping(MessagingConfig.class);

    private final ProcessedEvents processed = new ProcessedEvents(CONFIG, new MessagingMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
            new TraceContext(io.opentelemetry.api.OpenTelemetry.noop()), null); // no relay: retries write no outbox rows
    private final EventEnvelope<String> event = EventEnvelope.of("/test", "test.v1", "k", "data");

    @Test
    void infrastructureFailuresAreRetriedUntilTheyClearHoweverMany() {
        AtomicInteger calls = new AtomicInteger();
        Uni<Void> apply = Uni.createFrom().deferred(() -> calls.incrementAndGet() <= 20
                ? Uni.createFrom().failure(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null))
                : Uni.createFrom().voidItem());
        processed.withRetries("test", event, apply).await().atMost(Duration.ofSeconds(10));
        assertThat(calls).hasValue(21); // far beyond max-attempts: never dead-lettered for an outage
    }

    @Test
    void aLostConnectionIsAnInfrastructureFailure() {
        AtomicInteger calls = new AtomicInteger();
        Uni<Void> apply = Uni.createFrom().deferred(() -> calls.incrementAndGet() <= 5
                ? Uni.createFrom().failure(new IllegalStateException("wrapped", new IOException("Connection reset by peer")))
                : Uni.createFrom().voidItem());
        processed.withRetries("test", event, apply).await().atMost(Duration.ofSeconds(10));
        assertThat(calls).hasValue(6);
    }

    @Test
    void failuresTheEventCausesAreTriedMaxAttemptsTimesThenReachTheDeadLetterTopic() {
        AtomicInteger calls = new AtomicInteger();
        Uni<Void> apply = Uni.createFrom().deferred(() -> {
            calls.incrementAndGet();
            return Uni.createFrom().failure(new PgException("duplicate key value", "ERROR", "23505", null));
        });
        assertThatThrownBy(() -> processed.withRetries("test", event, apply).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(PgException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void anUnreadableEventIsNeverRetried() {
        assertThat(ConsumerFailures.isTransient(new EventCodec.MalformedEventException("bad", new IOException("eof"))))
                .isFalse();
    }
}
