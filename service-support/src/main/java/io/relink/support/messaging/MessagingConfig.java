package io.relink.support.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Messaging settings shared by every service. */
@ConfigMapping(prefix = "relink.messaging")
public interface MessagingConfig {

    /** Prepended to every logical topic name, e.g. {@code acme.} on a shared event platform. */
    Optional<String> topicPrefix();

    /** The physical name of a logical topic from {@link io.relink.events.Topics}. */
    default String topic(String logicalTopic) {
        return topicPrefix().orElse("") + logicalTopic;
    }

    /** The {@code source} attribute of every event this service produces. */
    String eventSource();

    Outbox outbox();

    /** How events are written to Kafka (readers take both): see {@link io.relink.events.CloudEventsBinary}. */
    @WithDefault("structured")
    CloudEventsMode cloudeventsMode();

    enum CloudEventsMode {
        /** The record value is the whole CloudEvents JSON envelope. */
        STRUCTURED,
        /** The attributes are ce_* headers; the value is the data alone. */
        BINARY
    }

    Consumer consumer();

    /**
     * How consumers treat a failure to apply an event. An infrastructure failure (database or broker unreachable,
     * a shutdown in progress, a deadlock) is retried until it clears: the event stays unacknowledged, so a restart
     * redelivers it and nothing is lost. Any other failure is retried {@code maxAttempts} times, then the event goes
     * to the consumer's dead-letter topic so that the stream goes on. An unreadable event goes there at once.
     */
    interface Consumer {
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("200ms")
        java.time.Duration initialBackoff();

        @WithDefault("30s")
        java.time.Duration maxBackoff();
    }

    interface Outbox {
        /** Rows the relay publishes per transaction (each one a database round trip and a wait for the broker). */
        @WithDefault("2000")
        int batchSize();

        /** How often the relay looks for unsent events (the scheduler's minimum is 1 s). */
        @WithDefault("1s")
        String pollInterval();

        @WithDefault("2s")
        String startDelay();
    }
}
