package io.relink.e2e;

import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.FaultSpec;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.AtlassianAccount;
import io.relink.simulator.model.SeedSpec;
import io.relink.simulator.model.SimulatedOrg;
import io.relink.testing.ApiSimulatorResource;
import io.relink.testing.KafkaTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The exactly-once proof: the packaged executor is killed with SIGKILL in the middle of a campaign, several times,
 * and restarted. Every account must end on the target policy, and the simulator's per-user call counters must show
 * that no user was added to the Entra scope or to the policy more than once.
 */
class CrashRecoveryIT {

    private static final int USERS = 60;
    private static final String EXECUTOR = "executor-service";

    private static ApiSimulator simulator;
    private static RunningServices services;

    @BeforeAll
    static void start() throws Exception {
        // Slow enough that kills land mid-flight: provisioning and policy tasks take a while, calls are rate limited.
        simulator = ApiSimulator.start(SimulatorConfig.defaults().withPort(0).withDelays(Duration.ofMillis(400),
                Duration.ofMillis(700)), new SeedSpec(null, null, null, null, USERS, 11L, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                0, 0, 0, 0, 0, 0));
        // Slow mutations widen the window in which a kill lands between "sent" and "answer recorded"; some 5xx and
        // 429 answers make the retries part of the proof.
        simulator.endpoints().putFault(new FaultSpec("control.addUsers", 0.15, null, 600, 0, 0, 0, 0.1));
        simulator.endpoints().putFault(new FaultSpec("graph.bindGroupMembers", 0.15, null, 600, 0, 0, 0, 0));
        simulator.endpoints().putFault(new FaultSpec("scim.listUsers", 0.1, null, 0, 0, 0, 0, 0.1));
        Map<String, String> env = new HashMap<>(ApiSimulatorResource.environment(simulator));
        // The Atlassian admin key as a secret file (RELINK_*_FILE), the way a Kubernetes or Docker secret is mounted:
        // the campaign cannot move anybody unless the executor reads it.
        Path secrets = Files.createTempDirectory("relink-secrets");
        String adminKey = "RELINK_CLIENTS_ATLASSIAN_ADMIN_API_KEY";
        env.put(adminKey + "_FILE", Files.writeString(secrets.resolve("atlassian-api-key"), env.remove(adminKey) + "\n").toString());
        env.putAll(RunningServices.quickTakeover());
        env.put("RELINK_EXECUTOR_ENGINE_POLICY_BATCH_SIZE", "10");
        env.put("RELINK_CLIENTS_GRAPH_RATE_LIMIT_PER_SECOND", "4");
        env.put("RELINK_CLIENTS_GRAPH_RATE_LIMIT_BURST", "1");
        services = RunningServices.start(env, EXECUTOR);
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void killingTheExecutorMidCampaignNeitherLosesNorRepeatsACall() throws Exception {
        SimulatedOrg org = simulator.org();
        String topic = services.topicPrefix() + Topics.MATCH;
        List<AtlassianAccount> accounts = List.copyOf(org.accounts.values());
        for (AtlassianAccount account : accounts) {
            String idpUser = org.entraUsers.values().stream().filter(u -> account.email.equalsIgnoreCase(u.mail))
                    .map(u -> u.id).findFirst().orElseThrow();
            MatchDecided decided = new MatchDecided("acme", account.accountId, account.email, account.name,
                    MatchOutcome.MATCHED, "entra", idpUser, 0.99, "EMAIL_EQUALS_MAIL", List.of(), List.of(),
                    "Local accounts", "mail equals email", 1);
            KafkaTestClient.sendRaw(topic, "acme/" + account.accountId, EventCodec.encode(
                    EventEnvelope.of("/crash-test", EventTypes.MATCH_DECIDED_V1, "acme/" + account.accountId, decided)));
        }
        String executor = services.url(EXECUTOR);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(executor).queryParam("source", "acme")
                .get("/api/decisions/count").then().body("count", equalTo(USERS)));

        String id = given().baseUri(executor).contentType("application/json")
                .body("{\"atlassianSource\":\"acme\",\"canarySize\":5,\"waveSize\":20,\"maxFailureRate\":0}")
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().baseUri(executor).post("/api/campaigns/{id}/plan", id).then().statusCode(200);
        given().baseUri(executor).post("/api/campaigns/{id}/start", id).then().statusCode(200);

        // Three crashes at different stages of the campaign, each followed by a restart.
        for (int threshold : new int[]{8, 25, 45}) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> simulator.counters().mutationTotal("graph.addGroupMember")
                            + simulator.counters().mutationTotal("control.addUsers") >= threshold);
            services.kill(EXECUTOR);
            services.restart(EXECUTOR);
        }

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().baseUri(executor).get("/api/campaigns/{id}", id).then().body("state", equalTo("COMPLETED")));
        given().baseUri(executor).get("/api/campaigns/{id}", id).then().body("users.MOVED", equalTo(USERS));

        for (AtlassianAccount account : accounts) {
            assertThat(org.accounts.get(account.accountId).policyId).as(account.email).isEqualTo("sso-policy");
        }
        Map<String, Map<String, Long>> calls = simulator.counters().mutationSnapshot();
        assertThat(calls.get("graph.addGroupMember")).as("scope adds per Entra user").hasSize(USERS)
                .allSatisfy((user, count) -> assertThat(count).as(user).isEqualTo(1L));
        assertThat(calls.get("control.addUsers")).as("add-users per email").hasSize(USERS)
                .allSatisfy((user, count) -> assertThat(count).as(user).isEqualTo(1L));

        // ./relink replay executor --from earliest: every decision is read again and skipped; no call is repeated.
        services.stop(EXECUTOR);
        RunningServices.CommandResult replay = services.cli("replay", "executor", "--from", "earliest");
        assertThat(replay.exitCode()).as(replay.output()).isZero();
        assertThat(replay.output()).contains(USERS + " record(s) will be read again");
        services.restart(EXECUTOR);
        String skipped = "relink_events_consumed_total{consumer=\"executor.match-decisions\",outcome=\"duplicate\"}";
        await().atMost(Duration.ofSeconds(60)).until(() -> services.metric(EXECUTOR, skipped) >= USERS);
        Thread.sleep(2_000); // a few engine ticks: anything the replay had set off would call the simulator now
        assertThat(simulator.counters().mutationSnapshot()).as("vendor calls after the replay").isEqualTo(calls);
        given().baseUri(executor).get("/api/campaigns/{id}", id).then().body("state", equalTo("COMPLETED"), "users.MOVED", equalTo(USERS));

        services.assertCredentialsAppearNowhere(ApiSimulatorResource.credentials(simulator), EXECUTOR);
    }
}
