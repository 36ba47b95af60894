package io.relink.support.messaging;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kafka record headers as text, the way Relink's events use them (CloudEvents attributes, dead-letter reasons). */
public final class KafkaHeaders {

    private KafkaHeaders() {
    }

    /** The headers as UTF-8 text; of a repeated header the last one counts. */
    public static Map<String, String> asMap(Headers headers) {
        Map<String, String> map = new LinkedHashMap<>();
        if (headers != null) {
            for (Header header : headers) {
                map.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return map;
    }

    /** Adds every header of {@code map} to {@code headers}, as UTF-8. */
    public static RecordHeaders addAll(RecordHeaders headers, Map<String, String> map) {
        map.forEach((key, value) -> headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }
}
