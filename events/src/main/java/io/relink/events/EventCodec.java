package io.relink.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;

/**
 * Reads and writes envelopes as CloudEvents structured JSON. Readers ignore fields they do not know,
 * so producers can add optional fields without breaking older consumers.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EventCodec() {
    }

    public static String encode(EventEnvelope<?> envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialize event " + envelope.type(), e);
        }
    }

    /**
     * Parses a Kafka record's event in either CloudEvents mode: binary when the headers carry {@code ce_*} attributes,
     * structured otherwise (see {@link CloudEventsBinary}).
     */
    public static EventEnvelope<JsonNode> decode(java.util.Map<String, String> headers, String value) {
        return decode(CloudEventsBinary.isBinary(headers) ? CloudEventsBinary.structured(headers, value) : value);
    }

    /**
     * Parses the envelope, leaving {@code data} as a tree until the caller knows the type. The envelope is read off
     * the tree field by field: converting the whole tree (data included) into the record cost a third of decoding.
     */
    public static EventEnvelope<JsonNode> decode(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new MalformedEventException("Event is not a JSON object");
            }
            JsonNode data = root.get("data");
            JsonNode time = root.get("time");
            EventEnvelope<JsonNode> envelope = new EventEnvelope<>(attribute(root, "specversion"), required(root, "id"),
                    required(root, "source"), required(root, "type"), attribute(root, "subject"),
                    time == null || time.isNull() ? null : MAPPER.treeToValue(time, Instant.class),
                    attribute(root, "datacontenttype"), data == null || data.isNull() ? null : data);
            if (envelope.data() == null) {
                throw new MalformedEventException("Event " + envelope.id() + " has no data");
            }
            return envelope;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("Malformed event: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("Malformed event: " + e.getMessage(), e);
        }
    }

    /** An attribute the envelope cannot do without (CloudEvents: id, source, type). */
    private static String required(JsonNode root, String name) {
        String value = attribute(root, name);
        if (value == null) {
            throw new MalformedEventException("Malformed event: no " + name);
        }
        return value;
    }

    /** A CloudEvents attribute: a string (a number or boolean is taken as its text); null when absent. */
    private static String attribute(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new IllegalArgumentException("attribute " + name + " is not a string");
        }
        return value.asText();
    }

    public static <T> T data(EventEnvelope<JsonNode> envelope, Class<T> type) {
        try {
            return MAPPER.treeToValue(envelope.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException("Event " + envelope.id() + " of type " + envelope.type()
                    + " has malformed data: " + e.getMessage(), e);
        }
    }

    /** The record cannot be read as a Relink event; consumers send it to their dead-letter topic. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }

        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
