package io.relink.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every event the services can produce must validate against its published JSON Schema. */
class EventContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "/relink/test";

    static EventEnvelope<IdentityChanged> identityAdded() {
        Identity identity = new Identity("5b10ac8d82e05b22cc7d4ef5", "Ada Lovelace", "Ada.Lovelace@Example.com",
                "ada.lovelace@example.com", null, null, List.of(), true, null, "Local accounts");
        return EventEnvelope.of(SOURCE, EventTypes.IDENTITY_CHANGED_V1, "acme/5b10ac8d82e05b22cc7d4ef5",
                new IdentityChanged("acme", SourceKind.ATLASSIAN, "7d0c1f0e-1", 3, ChangeType.ADDED,
                        identity.externalId(), identity));
    }

    static EventEnvelope<IdentityChanged> identityRemoved() {
        return EventEnvelope.of(SOURCE, EventTypes.IDENTITY_CHANGED_V1, "contoso/0f1e",
                new IdentityChanged("contoso", SourceKind.ENTRA, "snap-2", 2, ChangeType.REMOVED, "0f1e", null));
    }

    static EventEnvelope<SnapshotCompleted> snapshotCompleted() {
        return EventEnvelope.of(SOURCE, EventTypes.SNAPSHOT_COMPLETED_V1, "acme",
                new SnapshotCompleted("acme", SourceKind.ATLASSIAN, "snap-3", 3, 2000, 12, 3, 1));
    }

    static EventEnvelope<MatchDecided> matchDecided() {
        return EventEnvelope.of(SOURCE, EventTypes.MATCH_DECIDED_V1, "acme/ada.lovelace@example.com",
                new MatchDecided("acme", "ada.lovelace@example.com", "Ada.Lovelace@Example.com", "Ada Lovelace",
                        MatchOutcome.MATCHED, "contoso", "9a7c", 0.99, "EMAIL_EQUALS_MAIL",
                        List.of(new MatchDecided.Evidence("EMAIL_EQUALS_MAIL", "ada.lovelace@example.com", "mail",
                                "Ada.Lovelace@example.com", "9a7c")),
                        List.of(), "Local accounts", "Exact normalized email equals Entra mail", 1));
    }

    @Test
    void campaignEventsMatchTheirSchemas() throws IOException {
        assertValid(EventEnvelope.of(SOURCE, EventTypes.CAMPAIGN_STATE_CHANGED_V1, "c-1",
                new CampaignStateChanged("c-1", "Wave 1", "acme", "HALTED", "RUNNING", "wave 1: 3 of 5 failed", "system")));
        assertValid(EventEnvelope.of(SOURCE, EventTypes.CAMPAIGN_USER_CHANGED_V1, "c-1",
                new CampaignUserChanged("c-1", 1, "acc-1", "ada@example.com", "MOVED", "Local accounts", "Entra SSO", null)));
        assertValid(EventEnvelope.of(SOURCE, EventTypes.STEP_DEAD_LETTERED_V1, "c-1/acc-1",
                new StepDeadLettered("d-1", "c-1", 1, "acc-1", "ada@example.com", "WAIT_FOR_LINK", "LINK_TIMEOUT",
                        "No SCIM link after 2h", 12)));
    }

    @Test
    void eventIdsAreVersion7UuidsThatGrowWithTime() throws InterruptedException {
        UUID first = UUID.fromString(EventEnvelope.of(SOURCE, EventTypes.CAMPAIGN_STATE_CHANGED_V1, "c-1", null).id());
        Thread.sleep(2);
        UUID later = EventEnvelope.timeOrderedId();
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);   // RFC 9562
        assertThat(first.getMostSignificantBits() >>> 16).isLessThan(later.getMostSignificantBits() >>> 16)
                .isCloseTo(System.currentTimeMillis(), within(60_000L));
        assertThat(Stream.generate(EventEnvelope::timeOrderedId).limit(10_000).distinct()).hasSize(10_000);
    }

    @Test
    void derivedEventIdsAreTheSameForTheSameEventAndVersion7() {
        Instant applied = Instant.parse("2026-12-01T06:00:00.123Z");
        UUID id = EventEnvelope.derivedId(applied, "snapshot-1/acc-1");
        assertThat(EventEnvelope.derivedId(applied, "snapshot-1/acc-1")).isEqualTo(id);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(applied.toEpochMilli());
        assertThat(EventEnvelope.derivedId(applied, "snapshot-1/acc-2")).isNotEqualTo(id);
        assertThat(EventEnvelope.derivedId(applied.plusMillis(1), "snapshot-1/acc-1")).isNotEqualTo(id);
        assertThat(Stream.iterate(0, i -> i + 1).limit(10_000).map(i -> EventEnvelope.derivedId(applied, "s/" + i))
                .distinct()).hasSize(10_000);
    }

    @Test
    void reviewDecisionsMatchTheirSchema() throws IOException {
        assertValid(EventEnvelope.of(SOURCE, EventTypes.MATCH_REVIEWED_V1, "acme/acc-1",
                new MatchReviewed("acme", "acc-1", "ada@example.com", "OVERRIDE", "obj-2", "alice@example.com",
                        "HR confirmed the second account", "REVIEW")));
    }

    @Test
    void schemaRejectsADeadLetterWithoutItsStep() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(EventCodec.encode(EventEnvelope.of(SOURCE, EventTypes.STEP_DEAD_LETTERED_V1,
                "c-1/acc-1", new StepDeadLettered("d-1", "c-1", 1, "acc-1", null, "WAIT_FOR_LINK", "LINK_TIMEOUT", "x", 1))));
        ((ObjectNode) event.get("data")).remove("step");
        assertThat(schemaFor(EventTypes.STEP_DEAD_LETTERED_V1).validate(event)).isNotEmpty();
    }

    @Test
    void identityChangedEventsMatchTheirSchema() throws IOException {
        assertValid(identityAdded());
        assertValid(identityRemoved());
    }

    @Test
    void snapshotCompletedMatchesItsSchema() throws IOException {
        assertValid(snapshotCompleted());
    }

    @Test
    void matchDecidedMatchesItsSchema() throws IOException {
        assertValid(matchDecided());
    }

    @Test
    void schemaRejectsAMatchedDecisionWithoutIdpUser() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(EventCodec.encode(matchDecided()));
        ((ObjectNode) event.get("data")).putNull("idpUserId");
        assertThat(schemaFor(EventTypes.MATCH_DECIDED_V1).validate(event)).isNotEmpty();
    }

    @Test
    void schemaRejectsAnAddedIdentityWithoutTheIdentity() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(EventCodec.encode(identityAdded()));
        ((ObjectNode) event.get("data")).putNull("identity");
        assertThat(schemaFor(EventTypes.IDENTITY_CHANGED_V1).validate(event)).isNotEmpty();
    }

    @Test
    void schemaRejectsAnUnknownOutcome() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(EventCodec.encode(matchDecided()));
        ((ObjectNode) event.get("data")).put("outcome", "PROBABLY");
        assertThat(schemaFor(EventTypes.MATCH_DECIDED_V1).validate(event)).isNotEmpty();
    }

    @Test
    void anIdentityWithoutTheOptionalOtherMailsFieldStillReads() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(EventCodec.encode(identityAdded()));
        ((ObjectNode) event.get("data").get("identity")).remove("otherMailsNormalized");
        assertThat(schemaFor(EventTypes.IDENTITY_CHANGED_V1).validate(event)).isEmpty();
        IdentityChanged data = EventCodec.data(EventCodec.decode(event.toString()), IdentityChanged.class);
        assertThat(data.identity().otherMailsNormalized()).isEmpty();
    }

    @Test
    void consumersTolerateUnknownFields() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(EventCodec.encode(matchDecided()));
        event.put("traceparent", "00-abc-def-01");
        ((ObjectNode) event.get("data")).put("addedInV1_1", "ignored by older readers");
        EventEnvelope<JsonNode> decoded = EventCodec.decode(event.toString());
        MatchDecided data = EventCodec.data(decoded, MatchDecided.class);
        assertThat(data.outcome()).isEqualTo(MatchOutcome.MATCHED);
        assertThat(data.idpUserId()).isEqualTo("9a7c");
    }

    @Test
    void roundTripKeepsEveryField() {
        EventEnvelope<IdentityChanged> original = identityAdded();
        EventEnvelope<JsonNode> decoded = EventCodec.decode(EventCodec.encode(original));
        assertThat(decoded.id()).isEqualTo(original.id());
        assertThat(decoded.time()).isEqualTo(original.time());
        assertThat(EventCodec.data(decoded, IdentityChanged.class)).isEqualTo(original.data());
    }

    @Test
    void malformedRecordsAreReportedNotSwallowed() {
        assertThatThrownBy(() -> EventCodec.decode("not json")).isInstanceOf(EventCodec.MalformedEventException.class);
        assertThatThrownBy(() -> EventCodec.decode("[1,2]")).isInstanceOf(EventCodec.MalformedEventException.class);
        assertThatThrownBy(() -> EventCodec.decode("{\"id\":\"x\",\"source\":\"s\",\"type\":\"t\"}"))
                .isInstanceOf(EventCodec.MalformedEventException.class)
                .hasMessageContaining("no data");
        assertThatThrownBy(() -> EventCodec.decode("{\"source\":\"s\",\"type\":\"t\",\"data\":{}}"))
                .isInstanceOf(EventCodec.MalformedEventException.class)
                .hasMessageContaining("no id");
        assertThatThrownBy(() -> EventCodec.decode("{\"id\":{\"a\":1},\"source\":\"s\",\"type\":\"t\",\"data\":{}}"))
                .isInstanceOf(EventCodec.MalformedEventException.class)
                .hasMessageContaining("id is not a string");
        assertThatThrownBy(() -> EventCodec.decode("{\"id\":\"x\",\"source\":\"s\",\"type\":\"t\",\"time\":\"yesterday\",\"data\":{}}"))
                .isInstanceOf(EventCodec.MalformedEventException.class);
    }

    private static void assertValid(EventEnvelope<?> envelope) throws IOException {
        JsonNode json = JSON.readTree(EventCodec.encode(envelope));
        Set<ValidationMessage> errors = schemaFor(envelope.type()).validate(json);
        assertThat(errors).as("schema violations of %s", envelope.type()).isEmpty();
    }

    private static JsonSchema schemaFor(String type) throws IOException {
        try (InputStream in = EventContractTest.class.getResourceAsStream("/schemas/" + type + ".json")) {
            assertThat(in).as("schema for %s", type).isNotNull();
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }
}
