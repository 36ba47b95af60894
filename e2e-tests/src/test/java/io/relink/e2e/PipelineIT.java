package io.relink.e2e;

import io.relink.stack.SampleOrgGenerator;
import io.relink.stack.SampleOrgGenerator.Person;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The walking skeleton end to end: an Entra users file and an Atlassian managed-accounts export are
 * uploaded to inventory-service; identity events cross Kafka to matcher-service; match decisions cross
 * Kafka to executor-service; the dry-run plan is checked against the generator's own ground truth.
 */
class PipelineIT {

    private static final int ACCOUNTS = 300;
    private static final long SEED = 7;

    private static RunningServices services;

    @TempDir
    static Path data;

    /**
     * The services run in the small-memory JVM profile (jvm/small-memory.args, README "The JVM"): the pipeline must work
     * in it as it does with the defaults, which the other end-to-end tests run.
     */
    @BeforeAll
    static void startServices() throws Exception {
        services = RunningServices.startInJvmProfile("small-memory");
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void snapshotFlowsThroughAllThreeServicesIntoAPlan() throws Exception {
        List<Person> people = SampleOrgUpload.entraThenAtlassian(services, data, ACCOUNTS, SEED, "contoso", "acme");
        String executor = services.url("executor-service");
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().baseUri(executor)
                .queryParam("source", "acme").get("/api/decisions/count").then().body("count", equalTo(ACCOUNTS)));

        JsonPath plan = given().baseUri(executor).contentType("application/json")
                .body("{\"name\":\"e2e\",\"atlassianSource\":\"acme\"}").post("/api/plans")
                .then().statusCode(201).extract().jsonPath();
        String planId = plan.getString("id");
        JsonPath full = given().baseUri(executor).queryParam("limit", ACCOUNTS).get("/api/plans/{id}", planId)
                .then().statusCode(200).extract().jsonPath();

        // Ground truth from the generator, independent of the matcher's code.
        Map<String, List<Person>> entraByMail = people.stream().filter(Person::inEntra)
                .collect(Collectors.groupingBy(p -> p.entraMail().toLowerCase(Locale.ROOT)));
        List<String> expectedMoves = people.stream()
                .filter(p -> p.inAtlassian() && p.atlassianActive() && p.inEntra() && p.entraEnabled())
                .filter(p -> !SampleOrgGenerator.SSO_POLICY.equals(p.policy()))
                .filter(p -> entraByMail.get(p.atlassianEmail().toLowerCase(Locale.ROOT)).size() == 1)
                .map(p -> p.atlassianEmail().toLowerCase(Locale.ROOT))
                .sorted().toList();
        List<Map<String, Object>> items = full.getList("items");
        List<String> moved = items.stream().filter(i -> "MOVE".equals(i.get("action")))
                .map(i -> ((String) i.get("email")).toLowerCase(Locale.ROOT)).sorted().toList();
        assertThat(moved).isEqualTo(expectedMoves);
        assertThat(plan.getInt("moves")).isEqualTo(expectedMoves.size());
        assertThat(plan.getInt("moves") + plan.getInt("excluded")).isEqualTo(ACCOUNTS);

        // Every move names its user, its policies and the three calls in order.
        Map<String, Person> byEmail = people.stream().filter(Person::inAtlassian)
                .collect(Collectors.toMap(p -> p.atlassianEmail().toLowerCase(Locale.ROOT), Function.identity()));
        for (Map<String, Object> item : items) {
            Person person = byEmail.get(((String) item.get("email")).toLowerCase(Locale.ROOT));
            assertThat(person).as("plan item %s is a real account", item.get("email")).isNotNull();
            if ("MOVE".equals(item.get("action"))) {
                assertThat(item.get("idpUserId")).isEqualTo(person.objectId());
                assertThat(item.get("fromPolicy")).isEqualTo(SampleOrgGenerator.LOCAL_POLICY);
                assertThat(item.get("toPolicy")).isEqualTo(SampleOrgGenerator.SSO_POLICY);
                assertThat(((List<Map<String, Object>>) item.get("steps"))).extracting(s -> s.get("action"))
                        .containsExactly("READ_CURRENT_POLICY", "ADD_TO_ENTRA_SCOPE", "WAIT_FOR_SCIM_LINK", "ADD_TO_AUTH_POLICY");
            } else {
                assertThat((String) item.get("reason")).isNotBlank();
            }
        }
        // The CLI's output contract: one JSON object per Atlassian account.
        RunningServices.CommandResult matches = relink("matches", "--source", "acme", "--json");
        assertThat(matches.exitCode()).as(matches.output()).isZero();
        List<String> lines = matches.output().lines().filter(line -> line.startsWith("{")).toList();
        assertThat(lines).hasSize(ACCOUNTS).allSatisfy(line -> assertThat(line)
                .contains("\"accountId\"", "\"email\"", "\"outcome\"", "\"idpUserId\"", "\"confidence\"",
                        "\"flags\"", "\"evidence\""));
        assertThat(lines.stream().filter(line -> line.contains("\"outcome\":\"MATCHED\""))).hasSizeGreaterThanOrEqualTo(expectedMoves.size());

        // The generator's shared address (person 5 and an admin account) must not be auto-matched.
        String shared = people.get(5).atlassianEmail().toLowerCase(Locale.ROOT);
        assertThat(items).filteredOn(i -> shared.equalsIgnoreCase((String) i.get("email")))
                .singleElement().satisfies(i -> assertThat(i.get("category")).isEqualTo("REVIEW"));

        // A person decides it through the CLI; the decision is applied at once and recorded with its reason.
        String sharedAccount = (String) items.stream().filter(i -> shared.equalsIgnoreCase((String) i.get("email")))
                .findFirst().orElseThrow().get("accountId");
        RunningServices.CommandResult queue = relink("review", "list", "--source", "acme", "--json");
        assertThat(queue.exitCode()).as(queue.output()).isZero();
        assertThat(queue.output()).contains(sharedAccount, "\"outcome\":\"REVIEW\"", "\"candidates\"");
        assertThat(relink("review", "reject", "--source", "acme", "--account", sharedAccount).exitCode())
                .as("a decision without a reason is refused").isEqualTo(2);
        RunningServices.CommandResult rejected = relink("review", "reject", "--source", "acme", "--account", sharedAccount,
                "--reason", "shared admin mailbox, stays local");
        assertThat(rejected.exitCode()).as(rejected.output()).isZero();
        assertThat(rejected.output()).contains("HUMAN_REJECTED", "NO_MATCH");
        RunningServices.CommandResult table = relink("review", "list", "--source", "acme", "--decided");
        assertThat(table.exitCode()).as(table.output()).isZero();
        assertThat(table.output()).contains("ACCOUNT", "OUTCOME", sharedAccount, "REJECT by e2e-test", "decided accounts");

        // The campaign CLI: create and dry-run (no vendor connections here, so it is not started).
        RunningServices.CommandResult created = relink("campaign", "create", "--source", "acme", "--canary", "3", "--wave-size", "50");
        assertThat(created.exitCode()).as(created.output()).isZero();
        String campaignId = created.output().strip().lines().reduce((a, b) -> b).orElseThrow();
        RunningServices.CommandResult planned = relink("campaign", "plan", campaignId);
        assertThat(planned.exitCode()).as(planned.output()).isZero();
        assertThat(planned.output()).contains("PLANNED", "canary 3, then 50 per wave", "dry run only");
        assertThat(relink("campaign", "start", "not-a-campaign").exitCode()).isEqualTo(1);

        // Prometheus: the event flow is counted where it happens, and the framework series the dashboard charts exist.
        String inventoryMetrics = metrics("inventory-service");
        String matcherMetrics = metrics("matcher-service");
        String executorMetrics = metrics("executor-service");
        assertThat(inventoryMetrics).contains("relink_events_published_total{topic=\"" + services.topicPrefix() + "relink.identity.v1\"");
        assertThat(matcherMetrics).contains("relink_events_consumed_total{consumer=\"matcher.identity-events\",outcome=\"applied\"",
                "relink_match_decisions_total{outcome=\"MATCHED\"", "relink_events_published_total{topic=\"" + services.topicPrefix() + "relink.match.v1\"");
        assertThat(executorMetrics).contains("relink_events_consumed_total{consumer=");
        for (String series : GrafanaDashboardTest.FRAMEWORK_METRICS) {
            assertThat(matcherMetrics).as("the matcher exports %s", series).contains(series);
        }
    }

    private static String metrics(String service) {
        return given().baseUri(services.url(service)).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void theIngestCommandUploadsReportsAndRefusesWithExitCodes() throws Exception {
        Path good = data.resolve("cli-accounts.csv");
        Files.writeString(good, "Name,Email,Status\nAda,ada@cli.example,Active\nGrace,grace@cli.example,Active\n");
        Path bad = data.resolve("cli-bad.csv");
        Files.writeString(bad, "Name,Email,Status\nAda,ada@cli.example,Active\nBad,not-an-email,Active\n");

        RunningServices.CommandResult applied = relink("ingest", "atlassian-csv", good.toString(), "--source", "cli-source");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("cli-source: snapshot v1 applied: 2 identities");

        RunningServices.CommandResult refused = relink("ingest", "atlassian-csv", bad.toString(), "--source", "cli-source");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("cli-bad.csv:3 [Email]: Not an email address");

        RunningServices.CommandResult unchanged = relink("ingest", "atlassian-csv", good.toString(), "--source", "cli-source");
        assertThat(unchanged.exitCode()).isZero();
        assertThat(unchanged.output()).contains("v2 applied: 2 identities (0 added, 0 changed, 0 removed)");
        Path one = data.resolve("cli-one.csv");
        Files.writeString(one, "Name,Email,Status\nAda,ada@cli.example,Active\n");
        RunningServices.CommandResult guarded = relink("ingest", "atlassian-csv", one.toString(), "--source", "cli-source");
        assertThat(guarded.exitCode()).as(guarded.output()).isEqualTo(3);
        assertThat(guarded.output()).contains("HELD").contains("50%");

        // Any CSV, through a column mapping (non-ASCII header names travel URL-encoded).
        Path hr = data.resolve("cli-hr.csv");
        Files.writeString(hr, "Personalnummer;E-Mail-Adresse;Anmeldename;Zustand\nP1;ada@cli.example;ada@corp.example;aktiv\n");
        Path mapping = data.resolve("cli-mapping.json");
        Files.writeString(mapping, "{\"kind\":\"entra\",\"columns\":{\"externalId\":\"Personalnummer\",\"email\":"
                + "\"E-Mail-Adresse\",\"userPrincipalName\":\"Anmeldename\",\"active\":\"Zustand\"},\"activeValues\":[\"aktiv\"]}");
        RunningServices.CommandResult mapped = relink("ingest", "csv", hr.toString(), "--mapping", mapping.toString(), "--source", "cli-hr");
        assertThat(mapped.exitCode()).as(mapped.output()).isZero();
        assertThat(mapped.output()).contains("cli-hr: snapshot v1 applied: 1 identities");
        assertThat(relink("ingest", "csv", hr.toString()).exitCode()).isEqualTo(2);
        assertThat(relink("pull", "cli-hr", "--from", "ldap").exitCode()).isEqualTo(2);

        assertThat(relink("ingest", "excel", good.toString()).exitCode()).isEqualTo(2);
        assertThat(relink("ingest", "atlassian-csv", data.resolve("missing.csv").toString()).exitCode()).isEqualTo(2);
    }

    private static RunningServices.CommandResult relink(String... args) throws Exception {
        return services.cli(args);
    }

    @Test
    void everyServiceRunsInTheProfilesJvm() {
        for (String service : RunningServices.SERVICES) {
            String metrics = given().baseUri(services.url(service)).get("/q/metrics").then().statusCode(200).extract().asString();
            double heapMax = metrics.lines().filter(line -> line.startsWith("jvm_memory_max_bytes{area=\"heap\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
            assertThat(heapMax).as(service + ": the heap's pools add up to at most -Xmx80m").isBetween(40.0 * (1 << 20), 80.0 * (1 << 20));
            assertThat(metrics).as(service + ": the serial collector's old generation").contains("id=\"Tenured Gen\"");
        }
    }

    @Test
    void badUploadsAreRefusedWithProblemDetailsAndPersistNothing() {
        String inventory = services.url("inventory-service");
        given().baseUri(inventory).contentType("text/csv").queryParam("format", "atlassian-csv")
                .header("X-File-Name", "export.csv")
                .body("Name,Email,Status\nAda,ada@example.com,Active\nBad,,Active\n")
                .post("/api/sources/refused/snapshots")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].file", equalTo("export.csv"), "errors[0].line", equalTo(3), "errors[0].field", equalTo("Email"));
        given().baseUri(inventory).contentType("application/json").queryParam("format", "graph-json")
                .body("{\"value\": [ {\"id\": 1,").post("/api/sources/refused-graph/snapshots")
                .then().statusCode(400).contentType("application/problem+json");
        given().baseUri(inventory).get("/api/sources").then().statusCode(200)
                .body("name", not(hasItem("refused")), "name", not(hasItem("refused-graph")));
    }
}
