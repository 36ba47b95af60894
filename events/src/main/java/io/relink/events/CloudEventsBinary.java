package io.relink.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudEvents Kafka protocol binding's two modes. Structured (Relink's default): the record value is the whole
 * JSON envelope and the {@code content-type} header says {@code application/cloudevents+json}. Binary: each attribute
 * is a {@code ce_<name>} header, {@code content-type} is the data's media type, and the value is the data alone; event
 * platforms that route on headers without reading values prefer it. Readers take either.
 */
public final class CloudEventsBinary {

    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    public static final String HEADER_PREFIX = "ce_";
    /** The attributes Relink's envelope carries besides {@code data} and {@code datacontenttype}. */
    private static final List<String> ATTRIBUTES = List.of("specversion", "id", "source", "type", "subject", "time");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A binary-mode record: its headers (in order) and its value. */
    public record Record(Map<String, String> headers, String value) {
    }

    private CloudEventsBinary() {
    }

    /** The binary-mode form of a structured envelope (as {@link EventCodec#encode} writes it). */
    public static Record of(String structured) {
        try {
            JsonNode envelope = JSON.readTree(structured);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String attribute : ATTRIBUTES) {
                JsonNode value = envelope.get(attribute);
                if (value != null && !value.isNull()) {
                    headers.put(HEADER_PREFIX + attribute, value.asText());
                }
            }
            headers.put(CONTENT_TYPE_HEADER, envelope.path("datacontenttype").asText(EventEnvelope.CONTENT_TYPE));
            return new Record(headers, JSON.writeValueAsString(envelope.get("data")));
        } catch (JsonProcessingException e) {
            throw new EventCodec.MalformedEventException("Not a structured event: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether a record with these headers is in binary mode. */
    public static boolean isBinary(Map<String, String> headers) {
        return headers != null && headers.containsKey(HEADER_PREFIX + "specversion");
    }

    /** The structured envelope of a binary-mode record. */
    public static String structured(Map<String, String> headers, String value) {
        try {
            ObjectNode envelope = JSON.createObjectNode();
            for (String attribute : ATTRIBUTES) {
                String header = headers.get(HEADER_PREFIX + attribute);
                if (header != null) {
                    envelope.put(attribute, header);
                }
            }
            envelope.put("datacontenttype", headers.getOrDefault(CONTENT_TYPE_HEADER, EventEnvelope.CONTENT_TYPE));
            envelope.set("data", value == null ? null : JSON.readTree(value));
            return JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new EventCodec.MalformedEventException("Binary-mode event " + headers.get(HEADER_PREFIX + "id")
                    + " has malformed data: " + e.getOriginalMessage(), e);
        }
    }
}
