package io.relink.inventory.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.ChangeType;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.SourceKind;
import io.relink.support.json.JsonColumns;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An identity event built from a record's JSON encodes the same event as one built from the identity itself. */
class IdentityChangedJsonTest {

    private static final Instant APPLIED = Instant.parse("2026-12-01T06:00:00Z");

    @Test
    void anEventWithTheRecordsJsonIsTheEventOfTheIdentity() throws Exception {
        Identity identity = new Identity("acc-1", "Ada \"Countess\" Lovelace", "Ada@Example.com", "ada@example.com", null, null,
                List.of("ada.l@example.com"), true, null, "Local accounts", List.of(),
                new Identity.Details("example.com", false, "Ada", "Lovelace", "écrit\ttab", null, null, null, null));
        String recordJson = new JsonColumns(new ObjectMapper().findAndRegisterModules()).write(identity);

        assertThat(tree(new InventoryEvents.IdentityChangedJson("acme", SourceKind.ATLASSIAN, "s-1", 2, ChangeType.CHANGED,
                "acc-1", recordJson)))
                .isEqualTo(tree(new IdentityChanged("acme", SourceKind.ATLASSIAN, "s-1", 2, ChangeType.CHANGED, "acc-1",
                        identity)));
        assertThat(tree(new InventoryEvents.IdentityChangedJson("acme", SourceKind.ATLASSIAN, "s-1", 2, ChangeType.REMOVED,
                "acc-1", null)))
                .isEqualTo(tree(new IdentityChanged("acme", SourceKind.ATLASSIAN, "s-1", 2, ChangeType.REMOVED, "acc-1",
                        null)));
    }

    /** The event as a consumer parses it. */
    private static JsonNode tree(Object data) {
        EventEnvelope<Object> envelope = new EventEnvelope<>(EventEnvelope.SPEC_VERSION, "id-1", "/relink/inventory-service",
                EventTypes.IDENTITY_CHANGED_V1, "acme/acc-1", APPLIED, EventEnvelope.CONTENT_TYPE, data);
        return EventCodec.decode(EventCodec.encode(envelope)).data();
    }
}
