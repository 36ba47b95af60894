package io.relink.support.messaging;

import io.relink.events.CloudEventsBinary;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchReviewed;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordValueTest {

    private static final EventEnvelope<MatchReviewed> EVENT = EventEnvelope.of("/relink/matcher-service",
            EventTypes.MATCH_REVIEWED_V1, "acme/123", new MatchReviewed("acme", "123", "ada@acme.example", "APPROVE",
                    "obj-1", "ada", "checked", "REVIEW"));
    private static final String STRUCTURED = EventCodec.encode(EVENT);

    private final EventDeserializer deserializer = new EventDeserializer();

    @Test
    void theDeserializerDecodesTheEventAndItsDataFromTheRecordsBytes() {
        RecordValue value = deserializer.deserialize("t", new RecordHeaders(), STRUCTURED.getBytes(StandardCharsets.UTF_8));
        assertThat(value.event().id()).isEqualTo(EVENT.id());
        assertThat(value.event().type()).isEqualTo(EventTypes.MATCH_REVIEWED_V1);
        assertThat(value.data(MatchReviewed.class)).isEqualTo(EVENT.data());
        assertThat(value.payload()).isEqualTo(STRUCTURED);
    }

    @Test
    void aBinaryModeRecordIsDecodedFromItsHeaders() {
        CloudEventsBinary.Record binary = CloudEventsBinary.of(STRUCTURED);
        RecordHeaders headers = KafkaHeaders.addAll(new RecordHeaders(), binary.headers());
        RecordValue value = deserializer.deserialize("t", headers, binary.value().getBytes(StandardCharsets.UTF_8));
        assertThat(value.event().id()).isEqualTo(EVENT.id());
        assertThat(value.data(MatchReviewed.class)).isEqualTo(EVENT.data());
        assertThat(value.headers()).containsEntry("ce_id", EVENT.id());
    }

    @Test
    void anUnreadableRecordIsKeptWithItsFailureAndItsText() {
        RecordValue value = deserializer.deserialize("t", new RecordHeaders(), "{not json".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(value::event).isInstanceOf(EventCodec.MalformedEventException.class).hasMessageContaining("Malformed event");
        assertThat(value.payload()).isEqualTo("{not json");
        RecordValue empty = deserializer.deserialize("t", new RecordHeaders(), (byte[]) null);
        assertThatThrownBy(empty::event).isInstanceOf(EventCodec.MalformedEventException.class).hasMessageContaining("no value");
        assertThat(empty.payload()).isNull();
    }

    @Test
    void malformedDataFailsOnlyTheConsumerThatAsksForIt() {
        String wrongData = STRUCTURED.replace("\"atlassianSource\":\"acme\"", "\"atlassianSource\":{\"nested\":1}");
        RecordValue value = deserializer.deserialize("t", new RecordHeaders(), wrongData.getBytes(StandardCharsets.UTF_8));
        assertThat(value.event().type()).isEqualTo(EventTypes.MATCH_REVIEWED_V1); // a consumer of other types skips it
        assertThatThrownBy(() -> value.data(MatchReviewed.class)).isInstanceOf(EventCodec.MalformedEventException.class)
                .hasMessageContaining(EVENT.id());
    }

    @Test
    void aValueTakenAsTextIsDecodedOnFirstUse() {
        RecordValue value = RecordValue.text(Map.of(), STRUCTURED);
        assertThat(value.payload()).isSameAs(STRUCTURED);
        assertThat(value.data(MatchReviewed.class)).isEqualTo(EVENT.data());
        assertThatThrownBy(() -> RecordValue.text(Map.of(), "not an event").event())
                .isInstanceOf(EventCodec.MalformedEventException.class);
    }

    @Test
    void everyEventTypeOfTheContractHasItsDataType() {
        for (java.lang.reflect.Field field : EventTypes.class.getFields()) {
            if (field.getType() == String.class) {
                assertThat(EventTypes.dataType((String) get(field))).as(field.getName()).isPresent();
            }
        }
        assertThat(EventTypes.dataType(EventTypes.MATCH_DECIDED_V1)).contains(io.relink.events.MatchDecided.class);
        assertThat(EventTypes.dataType("relink.unknown.v1")).isEmpty();
    }

    private static Object get(java.lang.reflect.Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
