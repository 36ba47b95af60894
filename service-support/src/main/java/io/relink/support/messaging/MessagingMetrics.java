package io.relink.support.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Event flow on Prometheus ({@code /q/metrics}): {@code relink_events_consumed_total{consumer, outcome}} and
 * {@code relink_events_published_total{topic}}. Consumer lag comes from the Kafka client's own metrics
 * ({@code kafka_consumer_fetch_manager_records_lag_max}), which Quarkus binds.
 */
@ApplicationScoped
public class MessagingMetrics {

    /** Applied for the first time. */
    public static final String APPLIED = "applied";
    /** Redelivered and skipped: this consumer had applied it already. */
    public static final String DUPLICATE = "duplicate";
    /** Sent to the consumer's dead-letter topic (unreadable, or failing on its own). */
    public static final String DEAD_LETTERED = "dead_lettered";

    private final MeterRegistry registry;

    public MessagingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void consumed(String consumer, String outcome, long count) {
        if (count > 0) {
            registry.counter("relink.events.consumed", "consumer", consumer, "outcome", outcome).increment(count);
        }
    }

    public void published(String topic, long count) {
        registry.counter("relink.events.published", "topic", topic).increment(count);
    }
}
