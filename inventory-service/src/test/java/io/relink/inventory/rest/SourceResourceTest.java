package io.relink.inventory.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.ChangeType;
import io.relink.events.EventCodec;
import io.relink.events.EventTypes;
import io.relink.events.IdentityChanged;
import io.relink.events.SnapshotCompleted;
import io.relink.events.Topics;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Uploads through REST, against the real database and broker; reads what reached Kafka. */
@QuarkusTest
class SourceResourceTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    private static final String HEADER = "Name,Email,Status,Policy name\n";

    @Inject
    MessagingConfig messaging;

    @Test
    void uploadPersistsAVersionedSnapshotAndPublishesOnlyTheChanges() {
        String source = uniqueSource();
        String unchanged = "Ken,ken@example.com,Active,Local accounts\n"
                + "Barbara,barbara@example.com,Active,Local accounts\n"
                + "Dennis,dennis@example.com,Active,Local accounts\n";
        upload(source, "atlassian-csv", HEADER
                + "Ada,ada@example.com,Active,Local accounts\n"
                + "Grace,grace@example.com,Active,Local accounts\n"
                + "Alan,alan@example.com,Active,Local accounts\n" + unchanged)
                .statusCode(201)
                .header("Location", containsString("/api/snapshots/"))
                .body("version", equalTo(1), "status", equalTo("APPLIED"), "total", equalTo(6), "added", equalTo(6),
                        "removed", equalTo(0));

        // v2: Grace changed policy, Alan left, Linus joined, the others unchanged (1 of 6 removed: under the guard).
        upload(source, "atlassian-csv", HEADER
                + "Ada,ada@example.com,Active,Local accounts\n"
                + "Grace,grace@example.com,Active,Entra SSO\n"
                + "Linus,linus@example.com,Active,Local accounts\n" + unchanged)
                .statusCode(201)
                .body("version", equalTo(2), "total", equalTo(6), "added", equalTo(1), "changed", equalTo(1),
                        "removed", equalTo(1), "unchanged", equalTo(4));

        // Identity events and snapshot-completed travel on different partitions: wait for all of them.
        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(messaging.topic(Topics.IDENTITY),
                Duration.ofSeconds(30), read -> completedSnapshots(read, source).size() >= 2
                        && changesOfVersion(read, source, 1).size() >= 6 && changesOfVersion(read, source, 2).size() >= 3);
        List<IdentityChanged> changes = records.stream()
                .map(r -> EventCodec.decode(r.value()))
                .filter(e -> e.type().equals(EventTypes.IDENTITY_CHANGED_V1))
                .map(e -> EventCodec.data(e, IdentityChanged.class))
                .filter(c -> c.sourceName().equals(source))
                .toList();
        assertThat(changes.stream().filter(c -> c.snapshotVersion() == 1)).hasSize(6)
                .allMatch(c -> c.change() == ChangeType.ADDED);
        assertThat(changes.stream().filter(c -> c.snapshotVersion() == 2))
                .extracting(IdentityChanged::externalId, IdentityChanged::change)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("grace@example.com", ChangeType.CHANGED),
                        org.assertj.core.groups.Tuple.tuple("alan@example.com", ChangeType.REMOVED),
                        org.assertj.core.groups.Tuple.tuple("linus@example.com", ChangeType.ADDED));
        assertThat(records).filteredOn(r -> r.key().equals(source + "/grace@example.com")).hasSize(2);
        assertThat(completedSnapshots(records, source)).extracting(SnapshotCompleted::snapshotVersion).containsExactly(1L, 2L);

        given().get("/api/sources/{source}/snapshots", source).then().statusCode(200)
                .body("version", equalTo(List.of(2, 1)));

        // The diff names each change, with the identity before and after.
        List<String> ids = given().get("/api/sources/{source}/snapshots", source).then().extract().path("id");
        given().get("/api/snapshots/{id}/diff", ids.get(0)).then().statusCode(200)
                .body("from.version", equalTo(1), "to.version", equalTo(2),
                        "added", equalTo(1), "changed", equalTo(1), "removed", equalTo(1), "unchanged", equalTo(4),
                        "addedIdentities[0].externalId", equalTo("linus@example.com"),
                        "changedIdentities[0].before.authPolicy", equalTo("Local accounts"),
                        "changedIdentities[0].after.authPolicy", equalTo("Entra SSO"),
                        "removedIdentities[0].externalId", equalTo("alan@example.com"));
        // Against v1 explicitly, and the reverse direction.
        given().queryParam("against", ids.get(0)).get("/api/snapshots/{id}/diff", ids.get(1)).then().statusCode(200)
                .body("added", equalTo(1), "removed", equalTo(1), "addedIdentities[0].externalId", equalTo("alan@example.com"));
        given().queryParam("limit", 0).get("/api/snapshots/{id}/diff", ids.get(0)).then()
                .body("added", equalTo(1), "addedIdentities.size()", equalTo(0));
        given().queryParam("against", UUID.randomUUID()).get("/api/snapshots/{id}/diff", ids.get(0)).then().statusCode(404);
    }

    @Test
    void aSnapshotThatRemovesTooMuchIsHeldUntilConfirmed() {
        String source = uniqueSource();
        StringBuilder ten = new StringBuilder(HEADER);
        for (int i = 0; i < 10; i++) {
            ten.append("User ").append(i).append(",user").append(i).append("@example.com,Active,Local\n");
        }
        upload(source, "atlassian-csv", ten.toString()).statusCode(201);
        // A truncated export: only the first 7 of 10 rows (30% removed, more than the 20% allowed).
        String truncated = ten.substring(0, ten.indexOf("User 7"));
        String heldId = upload(source, "atlassian-csv", truncated).statusCode(202)
                .body("status", equalTo("PENDING_CONFIRMATION"), "removed", equalTo(3),
                        "statusReason", containsString("30%"))
                .extract().path("id");
        given().get("/api/sources/{source}/snapshots", source).then()
                .body("status", equalTo(List.of("PENDING_CONFIRMATION", "APPLIED")));

        // Nothing of the held snapshot reached Kafka; confirming publishes its 3 removals.
        given().post("/api/snapshots/{id}/confirm", heldId).then().statusCode(200).body("status", equalTo("APPLIED"));
        // Identity events and snapshot-completed travel on different partitions: wait for both, in any order.
        List<ConsumerRecord<String, String>> records = KafkaTestClient.readUntil(messaging.topic(Topics.IDENTITY),
                Duration.ofSeconds(30), read -> completedSnapshots(read, source).size() >= 2
                        && changesOfVersion(read, source, 2).size() >= 3);
        assertThat(changesOfVersion(records, source, 2)).hasSize(3).allMatch(c -> c.change() == ChangeType.REMOVED);
        given().post("/api/snapshots/{id}/confirm", heldId).then().statusCode(409);

        // A held snapshot can be rejected; one that a newer version superseded cannot be confirmed.
        String rejected = upload(source, "atlassian-csv", HEADER + "Only,only@example.com,Active,Local\n").statusCode(202)
                .extract().path("id");
        given().post("/api/snapshots/{id}/reject", rejected).then().statusCode(200).body("status", equalTo("REJECTED"));
        String stale = upload(source, "atlassian-csv", HEADER + "Only,only@example.com,Active,Local\n").statusCode(202)
                .extract().path("id");
        upload(source, "atlassian-csv", truncated).statusCode(201).body("unchanged", equalTo(7));
        given().post("/api/snapshots/{id}/confirm", stale).then().statusCode(409)
                .body("detail", containsString("applied since"));
    }

    @Test
    void graphUsersResponseIsAccepted() {
        String source = uniqueSource();
        upload(source, "graph-json", """
                {"value":[{"id":"0b1","userPrincipalName":"ada@example.com","mail":"Ada@example.com","accountEnabled":true}]}
                """).statusCode(201).body("kind", equalTo("ENTRA"), "total", equalTo(1));
    }

    @Test
    void badInputGetsProblemDetailsWithLineAndFieldAndPersistsNothing() {
        String source = uniqueSource();
        upload(source, "atlassian-csv", HEADER + "Ada,ada@example.com,Active,Local\nGrace,grace(at)example.com,Active,Local\n")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400),
                        "title", equalTo("Invalid input"),
                        "errors[0].file", equalTo("accounts.csv"),
                        "errors[0].line", equalTo(3),
                        "errors[0].field", equalTo("Email"),
                        "detail", containsString("nothing was imported"));
        given().get("/api/sources").then().statusCode(200).body("name", not(hasItem(source)));
        given().get("/api/sources/{source}/snapshots", source).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void unknownFormatAndBadSourceNamesAreRefused() {
        upload(uniqueSource(), "excel", HEADER).statusCode(400).body("errors[0].field", equalTo("format"));
        upload("../etc", "atlassian-csv", HEADER + "A,a@example.com,Active,L\n").statusCode(400);
        upload("bad name;drop", "atlassian-csv", HEADER + "A,a@example.com,Active,L\n")
                .statusCode(400).body("errors[0].field", equalTo("source"));
    }

    @Test
    void aGenericCsvIsReadThroughItsColumnMapping() {
        String source = uniqueSource();
        String mapping = """
                {"kind":"entra","columns":{"externalId":"Employee No","email":"Work E-mail","userPrincipalName":"Login",
                 "displayName":"Full name","active":"State"},"activeValues":["employed"]}""";
        String csv = "Full name;Work E-mail;Login;Employee No;State\n"
                + "Ada;Ada@Example.com;ada@corp.example;E1;employed\n"
                + "Grace;grace@example.com;grace@corp.example;E2;left\n"
                + "Alan;ada@example.com;alan@corp.example;E3;employed\n";
        String id = given().contentType("text/csv").queryParam("format", "csv").queryParam("mapping", mapping).body(csv)
                .post("/api/sources/{source}/snapshots", source).then().statusCode(201)
                .body("kind", equalTo("ENTRA"), "total", equalTo(3),
                        // two people share an address: flagged in the report, both kept
                        "sharedEmails[0].email", equalTo("ada@example.com"), "sharedEmails[0].identities", equalTo(2))
                .extract().path("id");
        given().get("/api/snapshots/{id}/diff", id).then().statusCode(200)
                .body("addedIdentities.find { it.externalId == 'E2' }.after.active", equalTo(false))
                .body("addedIdentities.find { it.externalId == 'E1' }.after.userPrincipalNameNormalized", equalTo("ada@corp.example"));

        given().contentType("text/csv").queryParam("format", "csv").body(csv).post("/api/sources/{source}/snapshots", source)
                .then().statusCode(400).body("errors[0].field", equalTo("mapping"));
        given().contentType("text/csv").queryParam("format", "csv").queryParam("mapping", "{\"kind\":\"entra\",\"columns\":{\"mail\":\"x\"}}")
                .body(csv).post("/api/sources/{source}/snapshots", source)
                .then().statusCode(400).body("errors[0].field", equalTo("columns"), "detail", containsString("mail"));
        given().contentType("text/csv").queryParam("format", "csv").queryParam("mapping",
                        "{\"kind\":\"entra\",\"columns\":{\"email\":\"Missing column\"}}")
                .body(csv).post("/api/sources/{source}/snapshots", source)
                .then().statusCode(400).body("detail", containsString("Missing column"));
    }

    @Test
    void aGenericJsonExportIsReadThroughItsMappingWithKeysOrPointers() {
        String source = uniqueSource();
        String mapping = """
                {"kind":"entra","records":"people","columns":{"externalId":"id","email":"/contact/email",
                 "displayName":"/name/full","active":"enabled"},"activeValues":["true"]}""";
        String json = """
                {"people":[{"id":"P1","contact":{"email":"Ada@Example.com"},"name":{"full":"Ada Lovelace"},"enabled":true},
                           {"id":"P2","contact":{"email":"grace@example.com"},"enabled":false}]}""";
        String id = given().contentType("application/json").queryParam("format", "json").queryParam("mapping", mapping)
                .body(json).post("/api/sources/{source}/snapshots", source).then().statusCode(201)
                .body("kind", equalTo("ENTRA"), "total", equalTo(2)).extract().path("id");
        given().get("/api/snapshots/{id}/diff", id).then().statusCode(200)
                .body("addedIdentities.find { it.externalId == 'P1' }.after.emailNormalized", equalTo("ada@example.com"))
                .body("addedIdentities.find { it.externalId == 'P1' }.after.displayName", equalTo("Ada Lovelace"))
                .body("addedIdentities.find { it.externalId == 'P2' }.after.active", equalTo(false));

        // A bare array without "records"; a bad address is refused with the record's line and the mapped column.
        String bare = "{\"kind\":\"atlassian\",\"columns\":{\"email\":\"mail\"}}";
        given().contentType("application/json").queryParam("format", "json").queryParam("mapping", bare)
                .body("[{\"mail\":\"a@example.com\"},\n{\"mail\":\"not-an-address\"}]")
                .post("/api/sources/{source}/snapshots", uniqueSource()).then().statusCode(400)
                .body("errors[0].line", equalTo(2), "errors[0].field", equalTo("mail"));
        given().contentType("application/json").queryParam("format", "json").queryParam("mapping", bare)
                .body("{\"mail\":\"a@example.com\"}").post("/api/sources/{source}/snapshots", uniqueSource())
                .then().statusCode(400).body("detail", containsString("array of records"));
    }

    @Test
    void repeatedRowsAreCountedAndListedButKeptOnce() {
        String source = uniqueSource();
        upload(source, "atlassian-csv", HEADER + "A,a@example.com,Active,L\nB,b@example.com,Active,L\nA2,A@example.com,Active,L\n")
                .statusCode(201).body("total", equalTo(2), "duplicateCount", equalTo(1),
                        "duplicates[0].line", equalTo(4), "duplicates[0].firstLine", equalTo(2));
    }

    /** A repeated id makes the records' key refuse the direct COPY: the snapshot is staged instead, with the same report. */
    @Test
    void aRepeatedIdKeepsTheFirstRowAndStillReportsSharedEmails() {
        String mapping = "{\"kind\":\"entra\",\"columns\":{\"externalId\":\"id\",\"email\":\"mail\",\"displayName\":\"name\"}}";
        String csv = "id,mail,name\nE1,ada@example.com,First Ada\nE2,grace@example.com,Grace\nE1,ada@example.com,Second Ada\n"
                + "E3,Ada@Example.com,Alan\n";
        String id = given().contentType("text/csv").queryParam("format", "csv").queryParam("mapping", mapping).body(csv)
                .post("/api/sources/{source}/snapshots", uniqueSource()).then().statusCode(201)
                .body("total", equalTo(3), "duplicateCount", equalTo(1), "duplicates[0].line", equalTo(4),
                        "duplicates[0].firstLine", equalTo(2), "sharedEmails[0].email", equalTo("ada@example.com"),
                        "sharedEmails[0].identities", equalTo(2), "sharedEmails[0].externalIds", equalTo(List.of("E1", "E3")))
                .extract().path("id");
        given().get("/api/snapshots/{id}/diff", id).then().statusCode(200)
                .body("addedIdentities.size()", equalTo(3))
                .body("addedIdentities.find { it.externalId == 'E1' }.after.displayName", equalTo("First Ada"));
    }

    @Test
    void aSourceKeepsItsKind() {
        String source = uniqueSource();
        upload(source, "atlassian-csv", HEADER + "A,a@example.com,Active,L\n").statusCode(201);
        upload(source, "graph-json", "{\"value\":[{\"id\":\"1\",\"userPrincipalName\":\"a@example.com\"}]}")
                .statusCode(409).contentType("application/problem+json");
    }

    private static List<IdentityChanged> changesOfVersion(List<ConsumerRecord<String, String>> records, String source,
                                                          long version) {
        return records.stream().map(r -> EventCodec.decode(r.value()))
                .filter(e -> e.type().equals(EventTypes.IDENTITY_CHANGED_V1))
                .map(e -> EventCodec.data(e, IdentityChanged.class))
                .filter(c -> c.sourceName().equals(source) && c.snapshotVersion() == version)
                .toList();
    }

    private static List<SnapshotCompleted> completedSnapshots(List<ConsumerRecord<String, String>> records, String source) {
        return records.stream()
                .map(r -> EventCodec.decode(r.value()))
                .filter(e -> e.type().equals(EventTypes.SNAPSHOT_COMPLETED_V1))
                .map(e -> EventCodec.data(e, SnapshotCompleted.class))
                .filter(c -> c.sourceName().equals(source))
                .toList();
    }

    private static ValidatableResponse upload(String source, String format, String body) {
        return given()
                .contentType(format.equals("graph-json") ? "application/json" : "text/csv")
                .header("X-File-Name", format.equals("graph-json") ? "users.json" : "accounts.csv")
                .queryParam("format", format)
                .body(body)
                .when().post("/api/sources/{source}/snapshots", source)
                .then();
    }

    private static String uniqueSource() {
        return "src-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
