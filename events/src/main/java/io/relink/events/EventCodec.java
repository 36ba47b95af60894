package io.relink.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
    public static EventEnvelope<JsonNode> decode(Map<String, String> headers, String value) {
        return decode(CloudEventsBinary.isBinary(headers) ? CloudEventsBinary.structured(headers, value) : value);
    }

    /**
     * Decodes a record's bytes (UTF-8) into its envelope with {@code data} as the record {@link EventTypes} names for the
     * event's type, in one pass over the bytes and without a tree, when the envelope says its type before its data (as
     * Relink's producers write it). Otherwise, and for a type the contract does not know, a binary-mode record or data
     * that does not decode as its type, {@code data} is a tree, as {@link #decode(Map, String)} gives it, and
     * {@link #data} reads it (or says what is wrong with it) when a consumer asks.
     */
    public static EventEnvelope<?> decodeTyped(Map<String, String> headers, byte[] value) {
        if (value == null) {
            throw new MalformedEventException("Malformed event: the record has no value");
        }
        if (CloudEventsBinary.isBinary(headers)) {
            return decode(headers, new String(value, StandardCharsets.UTF_8));
        }
        try (JsonParser parser = MAPPER.createParser(value)) {
            EventEnvelope<?> typed = typedEnvelope(parser);
            if (typed != null) {
                return typed;
            }
        } catch (IOException | RuntimeException notInOnePass) {
            // read again as a tree below, which says precisely what is malformed
        }
        return decode(new String(value, StandardCharsets.UTF_8));
    }

    /** The envelope read field by field, data as its type; null when that takes a tree (see {@link #decodeTyped}). */
    private static EventEnvelope<?> typedEnvelope(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, String> attributes = new HashMap<>();
        Instant time = null;
        Object data = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "data" -> {
                    Class<?> type = EventTypes.dataType(attributes.get("type")).orElse(null);
                    if (type == null || token == JsonToken.VALUE_NULL) {
                        return null;
                    }
                    data = MAPPER.readValue(parser, type);
                }
                case "time" -> time = token == JsonToken.VALUE_NULL ? null : MAPPER.readValue(parser, Instant.class);
                default -> {
                    if (token.isScalarValue()) {
                        attributes.put(name, token == JsonToken.VALUE_NULL ? null : parser.getText());
                    } else {
                        if (ATTRIBUTES.contains(name)) {
                            return null; // an attribute that is not a string: the tree path says so
                        }
                        parser.skipChildren();
                    }
                }
            }
        }
        if (data == null || parser.nextToken() != null || attributes.get("id") == null || attributes.get("source") == null) {
            return null;
        }
        return new EventEnvelope<>(attributes.get("specversion"), attributes.get("id"), attributes.get("source"),
                attributes.get("type"), attributes.get("subject"), time, attributes.get("datacontenttype"), data);
    }

    private static final Set<String> ATTRIBUTES = Set.of("specversion", "id", "source", "type",
            "subject", "datacontenttype");

    /**
     * Parses the envelope, leaving {@code data} as a tree until the caller knows the type. The envelope is read off
     * the tree field by field: converting the whole tree (data included) into the record cost a third of decoding.
     */
    public static EventEnvelope<JsonNode> decode(String json) {
        try {
            return envelope(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("Malformed event: " + e.getMessage(), e);
        }
    }

    private static MalformedEventException malformed(IOException e) {
        return new MalformedEventException("Malformed event: " + (e instanceof JsonProcessingException json
                ? json.getOriginalMessage() : e.getMessage()), e);
    }

    private static EventEnvelope<JsonNode> envelope(JsonNode root) throws JsonProcessingException {
        try {
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

    /** The envelope's data as {@code type}: as it is when it is one already, else read from its tree. */
    public static <T> T data(EventEnvelope<?> envelope, Class<T> type) {
        try {
            Object data = envelope.data();
            if (type.isInstance(data)) {
                return type.cast(data);
            }
            return data instanceof JsonNode tree ? MAPPER.treeToValue(tree, type) : MAPPER.convertValue(data, type);
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
