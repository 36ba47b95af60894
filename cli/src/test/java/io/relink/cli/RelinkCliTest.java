package io.relink.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands against a stand-in for the services (the JDK's HTTP server answering canned responses per path):
 * arguments, what is sent, what is printed, and the exit codes scripts rely on. PipelineIT runs them against the real services.
 */
class RelinkCliTest {

    private static HttpServer server;
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
    private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    record Answer(int status, String contentType, String body) {
    }

    @TempDir
    Path files;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            REQUESTS.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth=" + exchange.getRequestHeaders()
                    .getFirst("Authorization") + " body=" + body);
            Answer answer = ANSWERS.getOrDefault(exchange.getRequestMethod() + " " + path, new Answer(404, "application/problem+json",
                    "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such thing\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        System.setProperty("RELINK_INVENTORY_URL", url);
        System.setProperty("RELINK_MATCHER_URL", url);
        System.setProperty("RELINK_EXECUTOR_URL", url);
        System.setProperty("RELINK_TOKEN", "test-token");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void forget() {
        ANSWERS.clear();
        REQUESTS.clear();
    }

    /** What a command printed and its exit code. */
    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = RelinkCli.run(args);
            return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void anAppliedUploadIsSummarizedAndSentWithTheTokenAndTheFileName() throws IOException {
        Path csv = Files.writeString(files.resolve("accounts.csv"), "Name,Email,Status\nAda,ada@example.com,Active\n");
        ANSWERS.put("POST /api/sources/acme%20eu/snapshots", new Answer(201, "application/json",
                "{\"version\":3,\"total\":2,\"added\":1,\"changed\":0,\"removed\":1}"));
        Run run = run("ingest", "atlassian-csv", csv.toString(), "--source", "acme eu");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("acme eu: snapshot v3 applied: 2 identities (1 added, 0 changed, 1 removed)");
        assertThat(REQUESTS).singleElement().asString().contains("format=atlassian-csv", "auth=Bearer test-token",
                "Ada,ada@example.com,Active");
    }

    @Test
    void aRefusedUploadListsEveryProblemWithFileLineAndFieldAndExitsOne() throws IOException {
        Path csv = Files.writeString(files.resolve("bad.csv"), "Name,Email\nBad,nope\n");
        ANSWERS.put("POST /api/sources/atlassian/snapshots", new Answer(400, "application/problem+json",
                "{\"title\":\"Invalid input\",\"status\":400,\"detail\":\"1 problem\",\"errors\":[{\"file\":\"bad.csv\",\"line\":2,"
                        + "\"field\":\"Email\",\"reason\":\"Not an email address\"}]}"));
        Run run = run("ingest", "atlassian-csv", csv.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refused (400): 1 problem", "bad.csv:2 [Email]: Not an email address");
    }

    @Test
    void aHeldSnapshotExitsThree() throws IOException {
        Path csv = Files.writeString(files.resolve("one.csv"), "Name,Email\nA,a@example.com\n");
        ANSWERS.put("POST /api/sources/atlassian/snapshots", new Answer(202, "application/json",
                "{\"version\":2,\"statusReason\":\"50% of the accounts would be removed\"}"));
        Run run = run("ingest", "atlassian-csv", csv.toString());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).contains("HELD", "50%");
    }

    @Test
    void badArgumentsExitTwoAndCallNothing() throws IOException {
        Path csv = Files.writeString(files.resolve("a.csv"), "x");
        assertThat(run("ingest", "excel", csv.toString()).exitCode()).isEqualTo(2);
        assertThat(run("ingest", "csv", csv.toString()).err()).contains("needs --mapping");
        assertThat(run("ingest", "atlassian-csv", files.resolve("missing.csv").toString()).exitCode()).isEqualTo(2);
        assertThat(run("pull", "hr", "--from", "ldap").exitCode()).isEqualTo(2);
        assertThat(run("matches").exitCode()).as("--source is required").isEqualTo(2);
        Run noReason = run("review", "reject", "--source", "acme", "--account", "a1");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason is required");
        assertThat(run("dlq", "replay").exitCode()).as("a replay must say what").isEqualTo(2);
        assertThat(run("campaign", "launch", "x").exitCode()).isEqualTo(2);
        assertThat(REQUESTS).isEmpty();
    }

    @Test
    void theReviewQueueIsATableByDefaultAndJsonOnRequest() {
        String queue = "[{\"accountId\":\"a1\",\"email\":\"team@example.com\",\"outcome\":\"REVIEW\",\"idpUserId\":null,"
                + "\"reason\":\"2 Entra users share this address\",\"flags\":[\"SHARED\"],\"candidates\":[{\"idpUserId\":\"u1\"},"
                + "{\"idpUserId\":\"u2\"},{\"idpUserId\":\"u1\"}],\"review\":null}]";
        ANSWERS.put("GET /api/reviews/acme", new Answer(200, "application/json", queue));
        Run table = run("review", "list", "--source", "acme");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out().lines().toList()).hasSize(3);
        assertThat(table.out()).contains("ACCOUNT", "CANDIDATES", "a1", "team@example.com", "REVIEW", "u1 u2", "SHARED",
                "1 accounts in review");
        Run json = run("review", "list", "--source", "acme", "--json");
        assertThat(json.out().strip()).isEqualTo(queue);
    }

    @Test
    void aDecisionSendsTheAccountsActionAndReason() {
        ANSWERS.put("POST /api/reviews/acme/bulk", new Answer(200, "application/json",
                "[{\"accountId\":\"a1\",\"email\":\"x@example.com\",\"outcome\":\"NO_MATCH\",\"rule\":\"HUMAN_REJECTED\"}]"));
        Run run = run("review", "reject", "--source", "acme", "--account", "a1", "--account", "a2", "--reason", "shared mailbox");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("HUMAN_REJECTED", "NO_MATCH", "1 accounts decided");
        assertThat(REQUESTS).singleElement().asString()
                .contains("{\"accountIds\":[\"a1\",\"a2\"],\"action\":\"reject\",\"reason\":\"shared mailbox\"}");
    }

    @Test
    void followingACampaignExitsZeroWhenItCompletesAndThreeWhenItHalts() {
        ANSWERS.put("GET /api/campaigns/c1", new Answer(200, "application/json", "{\"state\":\"COMPLETED\",\"moves\":2,\"users\":{\"MOVED\":2}}"));
        ANSWERS.put("GET /api/campaigns/c2", new Answer(200, "application/json", "{\"state\":\"HALTED\",\"moves\":2,\"users\":{\"FAILED\":2}}"));
        assertThat(run("campaign", "status", "c1", "--follow", "--json").exitCode()).isZero();
        Run halted = run("campaign", "status", "c2", "--follow", "--json");
        assertThat(halted.exitCode()).isEqualTo(3);
        assertThat(halted.out()).contains("\"state\":\"HALTED\"");
    }

    @Test
    void aServiceThatRefusesOrDoesNotAnswerExitsOne() {
        Run refused = run("campaign", "start", "not-a-campaign");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("refused (404): no such thing");
        String url = System.getProperty("RELINK_EXECUTOR_URL");
        System.setProperty("RELINK_EXECUTOR_URL", "http://127.0.0.1:1");
        try {
            Run down = run("campaign", "list");
            assertThat(down.exitCode()).isEqualTo(1);
            assertThat(down.err()).contains("executor-service does not answer at http://127.0.0.1:1");
        } finally {
            System.setProperty("RELINK_EXECUTOR_URL", url);
        }
    }

    @Test
    void deadLettersAreATableAndAReplayNamesWhatItReplayed() {
        ANSWERS.put("GET /api/dead-letters", new Answer(200, "application/json", "[{\"failedAt\":\"2026-11-30T10:00:00Z\","
                + "\"email\":\"x@example.com\",\"campaignId\":\"c1\",\"wave\":2,\"step\":\"ADD_TO_POLICY\",\"errorClass\":\"POLICY_REJECTED\","
                + "\"attempts\":3,\"replayedAt\":null,\"reason\":\"deactivated\"}]"));
        ANSWERS.put("POST /api/dead-letters/replay", new Answer(200, "application/json", "{\"replayed\":1,\"skipped\":0,\"notes\":[]}"));
        Run list = run("dlq", "list", "--campaign", "c1");
        assertThat(list.out()).contains("POLICY_REJECTED", "open", "1 dead letters");
        assertThat(REQUESTS.get(0)).contains("campaign=c1", "includeReplayed=false");
        Run replay = run("dlq", "replay", "--error-class", "POLICY_REJECTED");
        assertThat(replay.exitCode()).isZero();
        assertThat(replay.out()).contains("replayed 1, skipped 0");
        assertThat(REQUESTS.get(1)).contains("{\"errorClass\":\"POLICY_REJECTED\"}");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : List.of(new String[]{"--help"}, new String[]{"ingest", "--help"}, new String[]{"campaign", "status", "--help"},
                new String[]{"review", "approve", "--help"}, new String[]{"dlq", "replay", "--help"}, new String[]{"audit", "export", "--help"})) {
            Run help = run(command);
            assertThat(help.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).contains("Usage:");
        }
    }
}
