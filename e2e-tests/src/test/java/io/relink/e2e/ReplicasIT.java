package io.relink.e2e;

import io.relink.simulator.ApiSimulator;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.SeedSpec;
import io.relink.testing.ApiSimulatorResource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static io.relink.e2e.RunningServices.count;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Scale-out proof: the whole pipeline (vendor pulls → matching → campaign against the simulator) runs once with one
 * replica of each service, then on an identical simulated organization with three matcher and three executor
 * replicas, one matcher killed (SIGKILL) mid-match and the executor holding the campaign killed mid-campaign. The
 * decisions, the accounts' final policies and the vendor calls per user must be the same in both runs.
 *
 * <p>The three sources are pulled at the same time, so Atlassian accounts and the Entra users they match are indexed
 * by different replicas at once (different partitions): a matcher that decides an account without seeing what
 * another replica is writing decides it wrongly.
 */
class ReplicasIT {

    private static final int ACCOUNTS = 150;
    private static final String INVENTORY = "inventory-service";
    private static final String MATCHER = "matcher-service";
    private static final String EXECUTOR = "executor-service";
    private static final Map<String, String> SOURCES = Map.of("entra", "graph-api", "scim", "scim-api", "acme", "atlassian-api");

    /** What a run leaves behind, compared between runs. */
    record RunResult(List<String> decisions, Map<String, String> policies, Map<String, Map<String, Long>> mutations,
                     int moved) {
    }

    @Test
    void threeReplicasWithKillsDecideAndMoveExactlyAsOneReplicaDoes() throws Exception {
        RunResult single = run(false);
        RunResult replicated = run(true);

        assertThat(single.decisions()).hasSizeGreaterThan(ACCOUNTS);
        assertThat(single.moved()).as("users moved by one replica").isGreaterThan(ACCOUNTS / 2);
        assertThat(replicated.decisions()).as("decisions with 3 replicas, one killed").isEqualTo(single.decisions());
        assertThat(replicated.moved()).isEqualTo(single.moved());
        assertThat(replicated.policies()).as("final policy per account").isEqualTo(single.policies());
        assertThat(replicated.mutations()).as("vendor calls per user").isEqualTo(single.mutations());
        for (String endpoint : List.of("graph.addGroupMember", "control.addUsers")) {
            assertThat(replicated.mutations().get(endpoint)).as(endpoint).hasSize(single.moved())
                    .allSatisfy((user, calls) -> assertThat(calls).as(endpoint + " for " + user).isEqualTo(1L));
        }
    }

    private static SeedSpec seed() {
        return new SeedSpec(null, null, null, null, ACCOUNTS, 29L, 0.1, 0.1, 0.08, 0.05, 0.08, 0.04,
                2, 2, 3, 3, 2, 5);
    }

    private static RunResult run(boolean replicated) throws Exception {
        try (ApiSimulator simulator = ApiSimulator.start(SimulatorConfig.defaults().withPort(0)
                .withDelays(Duration.ofMillis(200), Duration.ofMillis(300)), seed())) {
            Map<String, String> env = new HashMap<>(ApiSimulatorResource.environment(simulator));
            // Small batches: many transactions per replica, interleaved with the others'.
            env.put("RELINK_MATCHER_BATCH_SIZE", "10");
            env.put("RELINK_KAFKA_SESSION_TIMEOUT_MS", "6000");
            env.putAll(RunningServices.quickTakeover());
            env.put("RELINK_CLIENTS_GRAPH_RATE_LIMIT_PER_SECOND", "20");
            String[] instances = replicated
                    ? new String[]{INVENTORY, MATCHER, MATCHER + "#2", MATCHER + "#3", EXECUTOR, EXECUTOR + "#2", EXECUTOR + "#3"}
                    : new String[]{INVENTORY, MATCHER, EXECUTOR};
            try (RunningServices services = RunningServices.start(env, instances)) {
                Map<String, Integer> totals = pullAllAtOnce(services);
                if (replicated) {
                    int decidedAtKill = killWhenDecided(services, MATCHER + "#2", totals.get("acme") / 3);
                    assertThat(decidedAtKill).as("decisions when a matcher replica was killed").isLessThan(totals.get("acme"));
                }
                awaitSettled(services, totals);
                List<String> decisions = decisions();

                String executor = services.url(EXECUTOR);
                String id = given().baseUri(executor).contentType("application/json")
                        .body("{\"atlassianSource\":\"acme\",\"canarySize\":5,\"waveSize\":25,\"maxFailureRate\":0.5}")
                        .post("/api/campaigns").then().statusCode(201).extract().path("id");
                given().baseUri(executor).post("/api/campaigns/{id}/plan", id).then().statusCode(200);
                given().baseUri(executor).post("/api/campaigns/{id}/start", id).then().statusCode(200);
                if (replicated) {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                            .until(() -> simulator.counters().mutationTotal("control.addUsers") >= 20);
                    String holder = leaseHolder(services, id);
                    services.kill(holder);
                    executor = services.url(EXECUTOR.equals(holder) ? EXECUTOR + "#2" : EXECUTOR);
                }
                String survivor = executor;
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        given().baseUri(survivor).get("/api/campaigns/{id}", id).then().body("state", equalTo("COMPLETED")));
                int moved = given().baseUri(survivor).get("/api/campaigns/{id}", id).then().extract().path("users.MOVED");
                Map<String, String> policies = new TreeMap<>();
                simulator.org().accounts.values().forEach(a -> policies.put(a.accountId, a.policyId));
                Map<String, Map<String, Long>> mutations = new TreeMap<>();
                simulator.counters().mutationSnapshot().forEach((endpoint, calls) -> mutations.put(endpoint, new TreeMap<>(calls)));
                return new RunResult(decisions, policies, mutations, moved);
            }
        }
    }

    /** Pulls the three sources concurrently; returns each source's identity count. */
    private static Map<String, Integer> pullAllAtOnce(RunningServices services) {
        Map<String, CompletableFuture<Integer>> pulls = new HashMap<>();
        SOURCES.forEach((source, origin) -> pulls.put(source, CompletableFuture.supplyAsync(() ->
                given().baseUri(services.url(INVENTORY)).queryParam("from", origin)
                        .post("/api/sources/{source}/pulls", source).then().statusCode(201).extract().<Integer>path("total"))));
        Map<String, Integer> totals = new HashMap<>();
        pulls.forEach((source, pull) -> totals.put(source, pull.join()));
        return totals;
    }

    /** Kills the replica once the matcher has decided {@code threshold} accounts; returns how many it had. */
    private static int killWhenDecided(RunningServices services, String replica, int threshold) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> count("select count(*) from matcher.match_decision") >= threshold);
        services.kill(replica);
        return count("select count(*) from matcher.match_decision");
    }

    /**
     * Every identity indexed, every decision published and received by the executor at its latest revision: the
     * matcher has nothing left to do.
     */
    private static void awaitSettled(RunningServices services, Map<String, Integer> totals) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            totals.forEach((source, total) -> given().baseUri(services.url(MATCHER)).queryParam("source", source)
                    .get("/api/identities/count").then().body("count", equalTo(total)));
            assertThat(count("select count(*) from matcher.match_decision")).as("decided accounts").isEqualTo(totals.get("acme"));
            assertThat(count(RunningServices.UNPUBLISHED_DECISIONS)).as("unpublished decisions").isZero();
            assertThat(count("select count(*) from matcher.match_decision m full join executor.match_decision e"
                    + " on e.id = m.id"
                    + " where e.revision is distinct from m.revision")).as("decisions the executor lacks").isZero();
        });
    }

    /** Each decision as the rules made it (revisions differ between runs: replicas may decide an account more often). */
    private static List<String> decisions() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select concat_ws(' | ', id, outcome, idp_user_id, rule, confidence, flags,"
                     + " evidence, current_policy) from matcher.match_decision order by id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** The replica holding the campaign's lease (its owner names host, process id and a random suffix). */
    private static String leaseHolder(RunningServices services, String campaignId) throws Exception {
        String owner;
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select lease_owner from executor.campaign where id = '" + campaignId + "'")) {
            assertThat(rs.next()).isTrue();
            owner = rs.getString(1);
        }
        long pid = Long.parseLong(owner.split("/")[1]);
        return List.of(EXECUTOR, EXECUTOR + "#2", EXECUTOR + "#3").stream().filter(s -> services.pid(s) == pid)
                .findFirst().orElseThrow(() -> new AssertionError("no replica runs as " + owner));
    }
}
