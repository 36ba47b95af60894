package io.relink.support.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;

/**
 * Dead-letter records of batch consumers, written the way SmallRye's {@code dead-letter-queue} failure strategy writes
 * them for single-record consumers (same key, same payload, {@code dead-letter-*} headers), so one tool reads both.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static Message<String> of(ProcessedEvents.Delivery record, Throwable reason) {
        // The record's own headers first (a binary-mode event's attributes are there), then why it was given up on.
        RecordHeaders headers = KafkaHeaders.addAll(new RecordHeaders(), record.headers());
        headers.add("dead-letter-reason", bytes(ConsumerFailures.describe(reason)));
        if (reason.getCause() != null) {
            headers.add("dead-letter-cause", bytes(String.valueOf(reason.getCause().getMessage())));
        }
        headers.add("dead-letter-topic", bytes(record.topic()));
        headers.add("dead-letter-partition", bytes(String.valueOf(record.partition())));
        headers.add("dead-letter-offset", bytes(String.valueOf(record.offset())));
        return Message.of(record.payload()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
