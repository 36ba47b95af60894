package io.relink.support.messaging;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Map;

/**
 * The value deserializer of the batch consumers' channels ({@code value.deserializer}): reads each record into a
 * {@link RecordValue} on the Kafka consumer's thread, straight from its bytes. It never throws, so an unreadable record
 * reaches the consumer, which dead-letters it, instead of stopping the channel.
 */
public class EventDeserializer implements Deserializer<RecordValue> {

    @Override
    public RecordValue deserialize(String topic, byte[] data) {
        return RecordValue.decoded(Map.of(), data);
    }

    @Override
    public RecordValue deserialize(String topic, Headers headers, byte[] data) {
        return RecordValue.decoded(KafkaHeaders.asMap(headers), data);
    }
}
