package io.relink.e2e;

import io.relink.stack.SampleOrgGenerator;
import io.relink.stack.SampleOrgGenerator.Person;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Puts a generated sample org into running services the way an admin would: the Entra export first, then Atlassian's. */
final class SampleOrgUpload {

    private SampleOrgUpload() {
    }

    /**
     * Writes the org's exports into {@code dir}, uploads the Entra users as {@code entraSource}, waits until the matcher
     * indexed them all, then uploads the Atlassian accounts as {@code atlassianSource} (a new source: all added).
     */
    static List<Person> entraThenAtlassian(RunningServices services, Path dir, int accounts, long seed, String entraSource,
                                           String atlassianSource) throws Exception {
        List<Person> people = SampleOrgGenerator.generate(accounts, seed);
        Path csv = dir.resolve("atlassian.csv");
        Path graph = dir.resolve("graph-users.json");
        SampleOrgGenerator.writeAtlassianCsv(people, csv);
        SampleOrgGenerator.writeGraphUsers(people, graph);
        String inventory = services.url("inventory-service");
        int entraUsers = (int) people.stream().filter(Person::inEntra).count();
        given().baseUri(inventory).contentType("application/json").queryParam("format", "graph-json")
                .body(Files.readAllBytes(graph)).post("/api/sources/{source}/snapshots", entraSource)
                .then().statusCode(201).body("total", equalTo(entraUsers));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().baseUri(services.url("matcher-service"))
                .queryParam("source", entraSource).get("/api/identities/count").then().body("count", equalTo(entraUsers)));
        given().baseUri(inventory).contentType("text/csv").queryParam("format", "atlassian-csv")
                .body(Files.readAllBytes(csv)).post("/api/sources/{source}/snapshots", atlassianSource)
                .then().statusCode(201).body("total", equalTo(accounts), "added", equalTo(accounts));
        return people;
    }
}
