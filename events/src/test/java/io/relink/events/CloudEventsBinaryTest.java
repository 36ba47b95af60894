package io.relink.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventsBinaryTest {

    private static final EventEnvelope<MatchReviewed> EVENT = EventEnvelope.of("/relink/matcher-service",
            EventTypes.MATCH_REVIEWED_V1, "acme/123", new MatchReviewed("acme", "123", "ada@acme.example", "APPROVE", "obj-1", "ada", "checked",
                    "REVIEW"));

    @Test
    void binaryModeCarriesTheAttributesInHeadersAndTheDataAsValue() {
        CloudEventsBinary.Record binary = CloudEventsBinary.of(EventCodec.encode(EVENT));
        assertThat(binary.headers()).containsEntry("ce_specversion", "1.0").containsEntry("ce_id", EVENT.id())
                .containsEntry("ce_source", "/relink/matcher-service").containsEntry("ce_type", EventTypes.MATCH_REVIEWED_V1)
                .containsEntry("ce_subject", "acme/123").containsEntry("content-type", "application/json")
                .containsKey("ce_time");
        assertThat(binary.value()).startsWith("{\"atlassianSource\":\"acme\"");
    }

    @Test
    void bothModesDecodeToTheSameEvent() {
        String structured = EventCodec.encode(EVENT);
        CloudEventsBinary.Record binary = CloudEventsBinary.of(structured);
        EventEnvelope<JsonNode> fromBinary = EventCodec.decode(binary.headers(), binary.value());
        EventEnvelope<JsonNode> fromStructured = EventCodec.decode(Map.of("content-type", CloudEventsBinary.STRUCTURED_CONTENT_TYPE), structured);
        assertThat(fromBinary).isEqualTo(fromStructured);
        assertThat(EventCodec.data(fromBinary, MatchReviewed.class)).isEqualTo(EVENT.data());
    }

    @Test
    void malformedBinaryDataIsAnUnreadableEvent() {
        Map<String, String> headers = CloudEventsBinary.of(EventCodec.encode(EVENT)).headers();
        assertThatThrownBy(() -> EventCodec.decode(headers, "{not json")).isInstanceOf(EventCodec.MalformedEventException.class)
                .hasMessageContaining(EVENT.id());
        assertThat(List.of(CloudEventsBinary.isBinary(headers), CloudEventsBinary.isBinary(Map.of()))).containsExactly(true, false);
    }
}
