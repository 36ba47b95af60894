package io.relink.executor.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.events.Topics;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.model.AtlassianAccount;
import io.relink.simulator.model.SeedSpec;
import io.relink.simulator.model.SimulatedOrg;
import io.relink.support.messaging.MessagingConfig;
import io.relink.testing.ApiSimulatorResource;
import io.relink.testing.KafkaTestClient;
import io.relink.testing.TestTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Campaigns end to end inside the executor: decisions in through the real broker, moves out through the real
 * clients against the API simulator, state in the real PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiSimulatorResource.class, restrictToAnnotatedClass = true)
class CampaignResourceTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    private static final String LOCAL = "local-policy";
    private static final String SSO = "sso-policy";
    private static final String GROUP = "atlassian-cloud-users";

    @Inject
    MessagingConfig messaging;

    ApiSimulator simulator;

    private String source;

    @BeforeEach
    void cleanWorld() {
        // Every account matches exactly one Entra user by mail; no special cases unless a test makes one.
        simulator.seed(new SeedSpec(null, null, null, null, 12, 7L, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0, 0, 0));
        simulator.counters().reset();
        source = "atl-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void campaignMovesEveryoneWaveByWaveDeadLettersTheFailureReplaysItAndRollsBack() {
        List<AtlassianAccount> accounts = sendMatchedDecisions(12);
        AtlassianAccount deactivated = accounts.get(4); // wave 2 (canary is 1-2, wave 2 is 3-7)
        deactivated.accountStatus = "inactive";

        String id = createCampaign("{\"name\":\"SSO wave test\",\"atlassianSource\":\"" + source + "\",\"canarySize\":2,"
                + "\"waveSize\":5,\"maxFailureRate\":0.5}");
        given().post("/api/campaigns/{id}/plan", id).then().statusCode(200)
                .body("state", equalTo("PLANNED"), "moves", equalTo(12), "excluded", equalTo(1), "waves", equalTo(3),
                        "waveProgress.size", equalTo(List.of(2, 5, 5)),
                        "progress.projection.graphCalls", equalTo(1));
        given().queryParam("limit", 20).get("/api/campaigns/{id}/users", id).then().statusCode(200)
                .body("", hasSize(13),
                        "[0].wave", equalTo(1),
                        "[0].steps.action", equalTo(List.of("READ_CURRENT_POLICY", "ADD_TO_ENTRA_SCOPE", "WAIT_FOR_SCIM_LINK",
                                "ADD_TO_AUTH_POLICY")),
                        "[12].state", equalTo("EXCLUDED"),
                        "[12].reason", containsString("NO_MATCH"),
                        "[12].steps", hasSize(0));
        assertThat(simulator.counters().mutationSnapshot()).as("a dry run calls nothing").isEmpty();

        given().post("/api/campaigns/{id}/start", id).then().statusCode(200).body("state", equalTo("RUNNING"));
        awaitState(id, "COMPLETED");

        SimulatedOrg org = simulator.org();
        for (AtlassianAccount account : accounts) {
            assertThat(org.accounts.get(account.accountId).policyId).as(account.email)
                    .isEqualTo(account == deactivated ? LOCAL : SSO);
        }
        Map<String, Map<String, Long>> calls = simulator.counters().mutationSnapshot();
        assertThat(calls.get("control.addUsers")).as("one add-users per user").hasSize(12).allSatisfy((user, n) -> assertThat(n).isEqualTo(1));
        assertThat(calls.get("graph.addGroupMember")).as("one scope add per user").hasSize(12).allSatisfy((user, n) -> assertThat(n).isEqualTo(1));
        assertThat(calls.get("provisioning.createUser")).hasSize(12);

        given().get("/api/campaigns/{id}", id).then()
                .body("users.MOVED", equalTo(11), "users.FAILED", equalTo(1), "waveProgress.state", equalTo(List.of("PASSED", "PASSED", "PASSED")));
        given().queryParam("campaign", id).get("/api/dead-letters").then().statusCode(200)
                .body("", hasSize(1), "[0].accountId", equalTo(deactivated.accountId), "[0].step", equalTo("ADD_TO_POLICY"),
                        "[0].errorClass", equalTo("POLICY_REJECTED"), "[0].reason", containsString("deactivated"),
                        "[0].wave", equalTo(2), "[0].attempts", equalTo(1));
        List<String> published = KafkaTestClient.readUntil(messaging.topic(Topics.CAMPAIGN_DEAD_LETTERS), Duration.ofSeconds(20),
                records -> records.stream().anyMatch(r -> r.value().contains(deactivated.accountId)))
                .stream().map(r -> r.value()).toList();
        assertThat(published).anySatisfy(v -> assertThat(v).contains(EventTypes.STEP_DEAD_LETTERED_V1, "POLICY_REJECTED"));

        // The admin fixes the account and replays just that user: the campaign runs again, only for it.
        deactivated.accountStatus = "active";
        given().contentType("application/json").auth().oauth2(TestTokens.token("alice@example.com", "operator"))
                .body("{\"accountId\":\"" + deactivated.email + "\"}").post("/api/dead-letters/replay").then().statusCode(200)
                .body("replayed", equalTo(1));
        awaitState(id, "COMPLETED");
        assertThat(org.accounts.get(deactivated.accountId).policyId).isEqualTo(SSO);
        assertThat(simulator.counters().mutationSnapshot().get("graph.addGroupMember").get(idpUserOf(org, deactivated)))
                .as("the replay resumed at the failed step; the scope add was not repeated").isEqualTo(1);
        given().queryParam("campaign", id).get("/api/dead-letters").then().body("", hasSize(0));
        given().queryParam("campaign", id).queryParam("includeReplayed", true).get("/api/dead-letters").then()
                .body("", hasSize(1), "[0].replayedBy", equalTo("alice@example.com"));
        given().queryParam("limit", 20).get("/api/campaigns/{id}/users", id).then()
                .body("find { it.accountId == '" + deactivated.accountId + "' }.state", equalTo("MOVED"),
                        "find { it.accountId == '" + deactivated.accountId + "' }.attempts", equalTo(1));

        String csv = given().queryParam("format", "csv").get("/api/campaigns/{id}/audit", id).then().statusCode(200)
                .extract().asString();
        assertThat(csv).startsWith("id,at,actor").contains("ADD_TO_POLICY", "START", "REPLAY", "alice@example.com", TestTokens.TEST_ADMIN, "WAVE_PASSED")
                .doesNotContain(simulator.config().adminApiKey(), simulator.config().graphToken());
        given().get("/api/campaigns/{id}/audit", id).then().statusCode(200).contentType(containsString("ndjson"));
        given().get("/api/campaigns/{id}/report", id).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("Campaign report: SSO wave test"), containsString("<svg"),
                        containsString("1 (canary)"), containsString("MOVED: 2"));
        String report = given().queryParam("format", "csv").get("/api/campaigns/{id}/report", id).then().statusCode(200)
                .extract().asString();
        assertThat(report.lines()).hasSize(14).first().asString().startsWith("position,wave,accountId,email");
        assertThat(report).contains(deactivated.accountId + ",").contains("MOVED", "EXCLUDED");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("relink_campaign_users{campaign=\"SSO wave test\",campaign_id=\"" + id + "\",state=\"MOVED\"} 12.0"),
                        containsString("relink_api_calls_seconds_count{action=\"ADD_TO_POLICY\",outcome=\"OK\""));

        // Roll the whole campaign back: original policies, and the memberships the campaign added, removed.
        given().post("/api/campaigns/{id}/rollback", id).then().statusCode(200).body("state", equalTo("ROLLING_BACK"));
        awaitState(id, "ROLLED_BACK");
        for (AtlassianAccount account : accounts) {
            assertThat(org.accounts.get(account.accountId).policyId).as(account.email).isEqualTo(LOCAL);
            assertThat(org.groupMembers.get(GROUP)).doesNotContain(idpUserOf(org, account));
        }
        given().get("/api/campaigns/{id}", id).then().body("users.ROLLED_BACK", equalTo(12));
    }

    @Test
    void aCanaryOverItsFailureLimitHaltsTheCampaignUntilTheOperatorResumes() {
        List<AtlassianAccount> accounts = sendMatchedDecisions(6);
        accounts.get(0).accountStatus = "inactive";
        String id = createCampaign("{\"atlassianSource\":\"" + source + "\",\"canarySize\":2,\"waveSize\":10,\"maxFailureRate\":0.1}");
        given().post("/api/campaigns/{id}/plan", id).then().statusCode(200);
        given().post("/api/campaigns/{id}/start", id).then().statusCode(200);
        awaitState(id, "HALTED");
        given().get("/api/campaigns/{id}", id).then()
                .body("stateReason", containsString("Wave 1 breached its failure limit"),
                        "waveProgress[0].state", equalTo("HALTED"),
                        "waveProgress[1].users.PENDING", equalTo(4));
        assertThat(simulator.counters().mutationSnapshot().get("control.addUsers")).as("wave 2 never started").hasSize(2);
        given().accept("text/plain").get("/api/campaigns/{id}", id).then().body(containsString("HALTED"));

        given().post("/api/campaigns/{id}/start", id).then().statusCode(409).contentType("application/problem+json");

        // Roll back just the canary: its moved user returns to the local policy; the campaign then waits, paused.
        String movedId = given().queryParam("limit", 20).get("/api/campaigns/{id}/users", id).then().extract()
                .path("find { it.wave == 1 && it.state == 'MOVED' }.accountId");
        AtlassianAccount movedInCanary = simulator.org().accounts.get(movedId);
        assertThat(simulator.org().accounts.get(movedInCanary.accountId).policyId).isEqualTo(SSO);
        given().post("/api/campaigns/{id}/rollback?wave=1", id).then().statusCode(200);
        awaitState(id, "PAUSED");
        assertThat(simulator.org().accounts.get(movedInCanary.accountId).policyId).isEqualTo(LOCAL);
        assertThat(simulator.org().groupMembers.get(GROUP)).doesNotContain(idpUserOf(simulator.org(), movedInCanary));

        given().post("/api/campaigns/{id}/resume", id).then().statusCode(200).body("state", equalTo("RUNNING"));
        awaitState(id, "COMPLETED");
        given().get("/api/campaigns/{id}", id).then()
                .body("users.MOVED", equalTo(4), "users.ROLLED_BACK", equalTo(2),
                        "waveProgress.state", equalTo(List.of("ACCEPTED", "PASSED")));
    }

    @Test
    void aContinuousCampaignTakesAccountsMatchedLaterAfterApproval() {
        SimulatedOrg org = simulator.org();
        List<AtlassianAccount> accounts = sendMatchedDecisions(3);
        String id = createCampaign("{\"atlassianSource\":\"" + source + "\",\"canarySize\":1,\"waveSize\":5,\"continuous\":true}");
        given().post("/api/campaigns/{id}/plan", id).then().statusCode(200).body("continuous", equalTo(true), "moves", equalTo(3));
        given().post("/api/campaigns/{id}/start", id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/campaigns/{id}", id).then()
                .body("users.MOVED", equalTo(3), "state", equalTo("RUNNING")));

        // A new hire is matched after the campaign started (e.g. from a delta pull), and a guest with a blocker.
        List<AtlassianAccount> later = org.accounts.values().stream().filter(a -> !accounts.contains(a)).limit(2).toList();
        send(new MatchDecided(source, later.get(0).accountId, later.get(0).email, later.get(0).name, MatchOutcome.MATCHED,
                "entra", idpUserOf(org, later.get(0)), 0.99, "EMAIL_EQUALS_MAIL", List.of(), List.of(), "Local accounts", "new", 1));
        send(new MatchDecided(source, later.get(1).accountId, later.get(1).email, later.get(1).name, MatchOutcome.MATCHED,
                "entra", idpUserOf(org, later.get(1)), 0.99, "EMAIL_EQUALS_MAIL", List.of(), List.of("IDP_GUEST"),
                "Local accounts", "guest", 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/campaigns/{id}", id).then()
                .body("users.AWAITING_APPROVAL", equalTo(1), "users.EXCLUDED", equalTo(2)));
        assertThat(org.accounts.get(later.get(0).accountId).policyId).as("nothing moves before approval").isEqualTo(LOCAL);

        given().contentType("application/json").body("{\"accountIds\":[\"" + later.get(0).email + "\"]}")
                .post("/api/campaigns/{id}/approve", id).then().statusCode(200).body("approved", equalTo(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/campaigns/{id}", id).then()
                .body("users.MOVED", equalTo(4), "state", equalTo("RUNNING")));
        assertThat(org.accounts.get(later.get(0).accountId).policyId).isEqualTo(SSO);
        assertThat(org.accounts.get(later.get(1).accountId).policyId).as("blocked: never moved").isEqualTo(LOCAL);
        given().queryParam("limit", 20).get("/api/campaigns/{id}/users", id).then()
                .body("find { it.accountId == '" + later.get(1).accountId + "' }.reason", containsString("IDP_GUEST"));
    }

    @Test
    void aUserAlreadyInScopeCountsAsDoneAndKeepsItsMembershipOnRollback() {
        SimulatedOrg org = simulator.org();
        List<AtlassianAccount> accounts = sendMatchedDecisions(3);
        String preexisting = idpUserOf(org, accounts.get(1));
        org.groupMembers.get(GROUP).add(preexisting); // added by hand before the campaign, and provisioned then
        simulator.provisioning().scopeChanged(org, preexisting, false);
        String id = createCampaign("{\"atlassianSource\":\"" + source + "\",\"canarySize\":3}");
        given().post("/api/campaigns/{id}/plan", id).then().statusCode(200);
        given().post("/api/campaigns/{id}/start", id).then().statusCode(200);
        awaitState(id, "COMPLETED");
        given().queryParam("limit", 20).get("/api/campaigns/{id}/users", id).then()
                .body("findAll { it.state == 'MOVED' }.size()", equalTo(3),
                        "find { it.accountId == '" + accounts.get(1).accountId + "' }.scopeAdded", equalTo(false),
                        "find { it.accountId == '" + accounts.get(0).accountId + "' }.scopeAdded", equalTo(true));

        given().post("/api/campaigns/{id}/rollback", id).then().statusCode(200);
        awaitState(id, "ROLLED_BACK");
        assertThat(org.groupMembers.get(GROUP)).contains(preexisting)
                .doesNotContain(idpUserOf(org, accounts.get(0)), idpUserOf(org, accounts.get(2)));
        accounts.forEach(a -> assertThat(org.accounts.get(a.accountId).policyId).isEqualTo(LOCAL));
    }

    @Test
    void anAppRoleScopeAssignsTheRoleAndRollbackRemovesTheAssignments() {
        SimulatedOrg org = simulator.org();
        List<AtlassianAccount> accounts = sendMatchedDecisions(2);
        String id = createCampaign("{\"atlassianSource\":\"" + source + "\",\"canarySize\":2,\"scopeKind\":\"APP_ROLE\","
                + "\"scopeId\":\"atlassian-cloud-sp\",\"appRoleId\":\"atlassian-user-role\"}");
        given().post("/api/campaigns/{id}/plan", id).then().statusCode(200);
        given().queryParam("limit", 1).get("/api/campaigns/{id}/users", id).then()
                .body("[0].steps[1].path", equalTo("/v1.0/servicePrincipals/atlassian-cloud-sp/appRoleAssignedTo"));
        given().post("/api/campaigns/{id}/start", id).then().statusCode(200);
        awaitState(id, "COMPLETED");
        assertThat(org.appRoleAssignments.get("atlassian-cloud-sp").values()).extracting(SimulatedOrg.AppRoleAssignment::principalId)
                .containsExactlyInAnyOrder(idpUserOf(org, accounts.get(0)), idpUserOf(org, accounts.get(1)));
        accounts.forEach(a -> assertThat(org.accounts.get(a.accountId).policyId).isEqualTo(SSO));

        given().post("/api/campaigns/{id}/rollback", id).then().statusCode(200);
        awaitState(id, "ROLLED_BACK");
        assertThat(org.appRoleAssignments.get("atlassian-cloud-sp")).isEmpty();
    }

    @Test
    void aLinkThatNeverAppearsFailsTheUserWithItsReasonAfterTheTimeout() {
        SimulatedOrg org = simulator.org();
        List<AtlassianAccount> accounts = sendMatchedDecisions(2);
        // Disabled after matching: Entra provisioning skips disabled users, so no SCIM link will ever appear.
        org.entraUsers.get(idpUserOf(org, accounts.get(0))).accountEnabled = false;
        String id = createCampaign("{\"atlassianSource\":\"" + source + "\",\"canarySize\":2,\"maxFailureRate\":0.5}");
        given().post("/api/campaigns/{id}/plan", id).then().statusCode(200);
        given().post("/api/campaigns/{id}/start", id).then().statusCode(200);
        awaitState(id, "COMPLETED");
        given().queryParam("campaign", id).queryParam("errorClass", "LINK_TIMEOUT").get("/api/dead-letters").then()
                .body("", hasSize(1), "[0].accountId", equalTo(accounts.get(0).accountId), "[0].step", equalTo("WAIT_FOR_LINK"),
                        "[0].reason", containsString("No active SCIM link"));
        assertThat(org.accounts.get(accounts.get(0).accountId).policyId).as("never moved without its link").isEqualTo(LOCAL);
        assertThat(org.accounts.get(accounts.get(1).accountId).policyId).isEqualTo(SSO);
    }

    @Test
    void badCampaignsAreRefusedWithEveryProblemNamed() {
        given().contentType("application/json").body("{\"atlassianSource\":\"x\",\"scopeKind\":\"ROLE\",\"canarySize\":0,"
                        + "\"maxFailureRate\":2,\"maxWaveDuration\":\"soon\"}")
                .post("/api/campaigns").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("scopeKind", "canarySize", "maxFailureRate", "maxWaveDuration")));
        given().contentType("application/json").body("{}").post("/api/campaigns").then().statusCode(400)
                .body("errors[0].field", equalTo("atlassianSource"));
        String id = createCampaign("{\"atlassianSource\":\"nobody-" + UUID.randomUUID() + "\"}");
        given().post("/api/campaigns/{id}/start", id).then().statusCode(409).body("detail", containsString("DRAFT"));
        given().post("/api/campaigns/{id}/plan", id).then().statusCode(409).body("detail", containsString("No match decisions"));
        given().get("/api/campaigns/{id}", UUID.randomUUID()).then().statusCode(404);
        given().queryParam("from", "yesterday").get("/api/dead-letters").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().get("/api/campaigns/{id}", id).then().body("state", equalTo("DRAFT"), "moves", equalTo(0));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** MATCHED decisions for the first {@code count} accounts (by email), plus one NO_MATCH; returns the matched accounts. */
    private List<AtlassianAccount> sendMatchedDecisions(int count) {
        SimulatedOrg org = simulator.org();
        List<AtlassianAccount> matched = new ArrayList<>();
        for (AtlassianAccount account : org.accounts.values()) {
            if (matched.size() == count) {
                break;
            }
            String idpUser = idpUserOf(org, account);
            if (idpUser == null) {
                continue;
            }
            matched.add(account);
            send(new MatchDecided(source, account.accountId, account.email, account.name, MatchOutcome.MATCHED, "entra",
                    idpUser, 0.99, "EMAIL_EQUALS_MAIL", List.of(), List.of(), "Local accounts", "mail equals email", 1));
        }
        assertThat(matched).hasSize(count);
        send(new MatchDecided(source, "acc-nobody", "nobody@elsewhere.example", "Nobody", MatchOutcome.NO_MATCH, null, null,
                0, null, List.of(), List.of(), "Local accounts", "no Entra user has this address", 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().queryParam("source", source).get("/api/decisions/count").then().body("count", equalTo(count + 1)));
        return matched;
    }

    private static String idpUserOf(SimulatedOrg org, AtlassianAccount account) {
        return org.entraUsers.values().stream().filter(u -> account.email.equalsIgnoreCase(u.mail)).map(u -> u.id)
                .findFirst().orElse(null);
    }

    private void send(MatchDecided decided) {
        KafkaTestClient.sendRaw(messaging.topic(Topics.MATCH), decided.atlassianSource() + "/" + decided.accountId(),
                EventCodec.encode(EventEnvelope.of("/test", EventTypes.MATCH_DECIDED_V1,
                        decided.atlassianSource() + "/" + decided.accountId(), decided)));
    }

    private static String createCampaign(String body) {
        return given().contentType("application/json").body(body)
                .post("/api/campaigns").then().statusCode(201).body("state", equalTo("DRAFT")).extract().path("id");
    }

    private static void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/api/campaigns/{id}", id).then().body("state", equalTo(state)));
    }
}
