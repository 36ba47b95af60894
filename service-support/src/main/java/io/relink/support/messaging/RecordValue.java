package io.relink.support.messaging;

import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A record's value as a batch consumer takes it: its headers, its text, and the event it holds with the event's data.
 * On the channels that name {@link EventDeserializer} the event is decoded on the Kafka consumer's own thread, straight
 * from the record's bytes into its typed data ({@link EventCodec#decodeTyped}), while the event loop applies the
 * previous batch (decoding was a tenth of the matcher's event-loop time); a value taken as text is decoded on first
 * use. The text of a decoded value is made only when a dead-letter record needs it. Not for concurrent use: it is
 * built on the Kafka thread and handed to the event loop through the connector's queue, then read there only.
 */
public final class RecordValue {

    private final Map<String, String> headers;
    private final byte[] bytes;
    private String text;
    private boolean decoded;
    private EventEnvelope<?> event;
    private RuntimeException unreadable;

    private RecordValue(Map<String, String> headers, byte[] bytes, String text) {
        this.headers = headers;
        this.bytes = bytes;
        this.text = text;
    }

    /**
     * Decodes a record's value now, its data too when the event contract knows its type. Never throws: an unreadable
     * record keeps its failure, which {@link #event()} rethrows, so that the consumer dead-letters it.
     */
    public static RecordValue decoded(Map<String, String> headers, byte[] bytes) {
        RecordValue value = new RecordValue(headers, bytes, null);
        value.decode();
        return value;
    }

    /** A value taken as text (a {@code StringDeserializer} channel): decoded as an event on first use, if ever. */
    public static RecordValue text(Map<String, String> headers, String text) {
        return new RecordValue(headers, null, text);
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The value as text (UTF-8), as a dead-letter record repeats it; null for a record without a value. */
    public String payload() {
        if (text == null && bytes != null) {
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        return text;
    }

    /** The envelope; throws {@link EventCodec.MalformedEventException} when the record is not a readable event. */
    public EventEnvelope<?> event() {
        decode();
        if (event == null) {
            throw unreadable;
        }
        return event;
    }

    /** The event's data as {@code type}; throws {@link EventCodec.MalformedEventException} when it is not one. */
    public <T> T data(Class<T> type) {
        return EventCodec.data(event(), type);
    }

    private void decode() {
        if (decoded) {
            return;
        }
        decoded = true;
        try {
            event = bytes != null || text == null ? EventCodec.decodeTyped(headers, bytes) : EventCodec.decode(headers, text);
        } catch (RuntimeException malformed) {
            unreadable = malformed;
        }
    }
}
