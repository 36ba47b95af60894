package io.relink.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link EventCodec#decodeTyped}: the one-pass decoding gives what the tree gives, and falls back to the tree. */
class EventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEventIsDecodedInOnePassIntoItsTypedData() {
        EventEnvelope<IdentityChanged> sent = EventContractTest.identityAdded();
        EventEnvelope<?> read = EventCodec.decodeTyped(Map.of(), bytes(EventCodec.encode(sent)));
        assertThat(read.data()).isInstanceOf(IdentityChanged.class).isEqualTo(sent.data());
        assertThat(read).isEqualTo(sent);
        EventEnvelope<JsonNode> tree = EventCodec.decode(EventCodec.encode(sent));
        assertThat(EventCodec.data(tree, IdentityChanged.class)).isEqualTo(EventCodec.data(read, IdentityChanged.class));
    }

    @Test
    void dataBeforeTheTypeOrOfAnUnknownTypeStaysATree() throws Exception {
        EventEnvelope<MatchDecided> sent = EventContractTest.matchDecided();
        ObjectNode reordered = JSON.createObjectNode();
        JsonNode original = JSON.readTree(EventCodec.encode(sent));
        reordered.set("data", original.get("data"));
        original.fields().forEachRemaining(field -> reordered.set(field.getKey(), field.getValue()));
        EventEnvelope<?> read = EventCodec.decodeTyped(Map.of(), bytes(JSON.writeValueAsString(reordered)));
        assertThat(read.data()).isInstanceOf(JsonNode.class);
        assertThat(EventCodec.data(read, MatchDecided.class)).isEqualTo(sent.data());

        String unknown = EventCodec.encode(sent).replace(EventTypes.MATCH_DECIDED_V1, "relink.unknown.v1");
        assertThat(EventCodec.decodeTyped(Map.of(), bytes(unknown)).data()).isInstanceOf(JsonNode.class);
    }

    @Test
    void malformedEnvelopesFailAsTheTreeSaysAndMalformedDataWhenItIsAskedFor() {
        assertThatThrownBy(() -> EventCodec.decodeTyped(Map.of(), bytes("{not json"))).isInstanceOf(EventCodec.MalformedEventException.class);
        assertThatThrownBy(() -> EventCodec.decodeTyped(Map.of(), bytes("[1]"))).hasMessageContaining("not a JSON object");
        String noId = EventCodec.encode(EventContractTest.snapshotCompleted()).replaceFirst("\"id\":\"[^\"]*\",", "");
        assertThatThrownBy(() -> EventCodec.decodeTyped(Map.of(), bytes(noId))).hasMessageContaining("no id");
        String objectSubject = EventCodec.encode(EventContractTest.snapshotCompleted()).replace("\"subject\":\"acme\"", "\"subject\":{}");
        assertThatThrownBy(() -> EventCodec.decodeTyped(Map.of(), bytes(objectSubject))).hasMessageContaining("subject is not a string");
        assertThatThrownBy(() -> EventCodec.decodeTyped(Map.of(), null)).hasMessageContaining("no value");

        EventEnvelope<SnapshotCompleted> sent = EventContractTest.snapshotCompleted();
        String badData = EventCodec.encode(sent).replace("\"total\":2000", "\"total\":\"many\"");
        EventEnvelope<?> read = EventCodec.decodeTyped(Map.of(), bytes(badData));
        assertThat(read.id()).isEqualTo(sent.id());
        assertThatThrownBy(() -> EventCodec.data(read, SnapshotCompleted.class)).hasMessageContaining(sent.id())
                .hasMessageContaining("malformed data");
    }

    @Test
    void aBinaryModeRecordIsDecodedFromItsHeaders() {
        EventEnvelope<MatchDecided> sent = EventContractTest.matchDecided();
        CloudEventsBinary.Record binary = CloudEventsBinary.of(EventCodec.encode(sent));
        EventEnvelope<?> read = EventCodec.decodeTyped(binary.headers(), bytes(binary.value()));
        assertThat(read.id()).isEqualTo(sent.id());
        assertThat(EventCodec.data(read, MatchDecided.class)).isEqualTo(sent.data());
    }
}
