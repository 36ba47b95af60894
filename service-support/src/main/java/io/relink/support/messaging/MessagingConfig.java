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

    interface Outbox {
        /** Rows the relay publishes per transaction. */
        @WithDefault("500")
        int batchSize();

        /** How often the relay looks for unsent events (the scheduler's minimum is 1 s). */
        @WithDefault("1s")
        String pollInterval();

        @WithDefault("2s")
        String startDelay();
    }
}
