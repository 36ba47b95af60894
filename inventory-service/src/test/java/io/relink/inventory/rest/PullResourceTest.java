package io.relink.inventory.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.FaultSpec;
import io.relink.simulator.model.EntraUser;
import io.relink.testing.ApiSimulatorResource;
import io.relink.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Pulls from the vendor APIs, served by the simulator; the clients only know base URLs and credentials. */
@QuarkusTest
@QuarkusTestResource(value = ApiSimulatorResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "accounts", value = "230"))
class PullResourceTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    ApiSimulator simulator;

    @AfterEach
    void resetSimulator() {
        given().baseUri(simulator.baseUrl()).post("/__admin/reset").then().statusCode(200);
    }

    @Test
    void graphPullFollowsPagingAndTheNextPullPublishesOnlyTheChange() {
        String source = "entra-" + UUID.randomUUID().toString().substring(0, 8);
        int users = simulator.org().entraUsers.size();
        pull(source, "graph-api").statusCode(201).body("kind", equalTo("ENTRA"), "total", equalTo(users), "added", equalTo(users));

        EntraUser someone = simulator.org().entraUsers.values().iterator().next();
        given().baseUri(simulator.baseUrl()).contentType("application/json").body(Map.of("mail", "moved@acme-corp.example"))
                .patch("/__admin/entra/users/{id}", someone.id).then().statusCode(200);
        pull(source, "graph-api").statusCode(201)
                .body("version", equalTo(2), "changed", equalTo(1), "added", equalTo(0), "unchanged", equalTo(users - 1));
    }

    @Test
    void deltaPullsApplyChangesAndRemovalsAndResyncWhenTheLinkExpires() {
        String source = "entra-" + UUID.randomUUID().toString().substring(0, 8);
        int users = simulator.org().entraUsers.size();
        pull(source, "graph-delta").statusCode(201).body("version", equalTo(1), "total", equalTo(users));
        pull(source, "graph-delta").statusCode(201).body("version", equalTo(2), "added", equalTo(0),
                "changed", equalTo(0), "removed", equalTo(0));

        var all = simulator.org().entraUsers.values().stream().toList();
        given().baseUri(simulator.baseUrl()).contentType("application/json").body(Map.of("accountEnabled", false))
                .patch("/__admin/entra/users/{id}", all.get(3).id).then().statusCode(200);
        given().baseUri(simulator.baseUrl()).delete("/__admin/entra/users/{id}", all.get(4).id).then().statusCode(204);
        pull(source, "graph-delta").statusCode(201)
                .body("version", equalTo(3), "changed", equalTo(1), "removed", equalTo(1), "total", equalTo(users - 1));
        // Only the changed user was read again, not the whole tenant.
        assertThat(simulator.counters().responseSnapshot().get("graph.getUser 200")).isEqualTo(1L);

        given().baseUri(simulator.baseUrl()).post("/__admin/graph/expire-delta-tokens").then().statusCode(204);
        pull(source, "graph-delta").statusCode(201).body("version", equalTo(4), "total", equalTo(users - 1),
                "changed", equalTo(0), "removed", equalTo(0));
        assertThat(simulator.counters().responseSnapshot()).containsEntry("graph.usersDelta 410", 1L);
    }

    @Test
    void atlassianPullReadsEveryManagedAccountWithItsPolicy() {
        String source = "atl-" + UUID.randomUUID().toString().substring(0, 8);
        long managed = simulator.org().accounts.values().stream().filter(a -> "managed".equals(a.claimStatus)).count();
        pull(source, "atlassian-api").statusCode(201).body("kind", equalTo("ATLASSIAN"), "total", equalTo((int) managed));
        // One v2 page holds 100 users: 230+ accounts need 3 pages; every account's policy was fetched.
        assertThat(simulator.counters().responseSnapshot()).containsEntry("atlassian.v2.users 200", 3L)
                .containsKey("control.bulkFetchPolicies 200");
    }

    @Test
    void withoutTheV2DirectoryApiThePullFallsBackToV1() {
        simulator.endpoints().putFault(new FaultSpec("atlassian.v2.users", 1.0, List.of(404), 0, 0, 0, 0, 0));
        String source = "atl-" + UUID.randomUUID().toString().substring(0, 8);
        int accounts = simulator.org().accounts.size();
        pull(source, "atlassian-api").statusCode(201).body("kind", equalTo("ATLASSIAN"), "total", equalTo(accounts));
        assertThat(simulator.counters().responseSnapshot()).containsEntry("atlassian.v2.users 404", 1L)
                .containsKey("atlassian.v1.users 200").containsKey("control.bulkFetchPolicies 200");
    }

    @Test
    void throttlingIsWaitedOutNotFailed() {
        given().baseUri(simulator.baseUrl()).contentType("application/json").body("{\"capacity\":1,\"perSecond\":4}")
                .put("/__admin/rate-limits/atlassian-admin").then().statusCode(200);
        String source = "atl-" + UUID.randomUUID().toString().substring(0, 8);
        pull(source, "atlassian-api").statusCode(201);
        assertThat(simulator.counters().responseSnapshot().keySet()).anyMatch(key -> key.endsWith(" 429"));
    }

    @Test
    void aCallThrottledMoreTimesThanItsAttemptsWaitsUntilTheApiTakesIt() {
        // Graph answers every listing with 429 and "Retry-After: 1" for 4.5 s: five 429s in a row for the first page,
        // more than the 4 attempts the test profile gives a call. Waiting out a 429 spends no attempt.
        simulator.endpoints().putFault(new FaultSpec("graph.listUsers", 0, null, 0, 0, 0, 0, 1.0));
        CompletableFuture.delayedExecutor(4500, TimeUnit.MILLISECONDS).execute(() -> simulator.endpoints().clearFaults());
        String source = "entra-" + UUID.randomUUID().toString().substring(0, 8);
        pull(source, "graph-api").statusCode(201).body("total", equalTo(simulator.org().entraUsers.size()));
        assertThat(simulator.counters().responseSnapshot().get("graph.listUsers 429")).isGreaterThan(4L);
    }

    @Test
    void aPullThatKeepsFailingIsRefusedAndPersistsNothing() {
        given().baseUri(simulator.baseUrl()).contentType("application/json")
                .body("{\"endpoint\":\"graph.listUsers\",\"errorRate\":1.0,\"statuses\":[503]}")
                .put("/__admin/faults").then().statusCode(200);
        String source = "entra-" + UUID.randomUUID().toString().substring(0, 8);
        pull(source, "graph-api").statusCode(502).contentType("application/problem+json")
                .body("detail", containsString("nothing was imported"));
        given().get("/api/sources").then().body("name", not(hasItem(source)));
        assertThat(simulator.counters().responseSnapshot().get("graph.listUsers 503")).isGreaterThan(1L);
    }

    @Test
    void scimPullListsTheProvisionedUsersWithTheirLinksPageByPage() {
        String source = "scim-" + UUID.randomUUID().toString().substring(0, 8);
        var scimUsers = simulator.org().scimUsers.values().stream().toList();
        assertThat(scimUsers).isNotEmpty();
        String snapshot = pull(source, "scim-api").statusCode(201)
                .body("kind", equalTo("SCIM"), "total", equalTo(scimUsers.size())).extract().path("id");
        int pages = (scimUsers.size() + 99) / 100;
        assertThat(simulator.counters().responseSnapshot()).containsEntry("scim.listUsers 200", (long) pages);
        var linked = scimUsers.stream().filter(u -> u.atlassianAccountId != null).findFirst().orElseThrow();
        given().queryParam("limit", 10000).get("/api/snapshots/{id}/diff", snapshot).then().statusCode(200)
                .body("addedIdentities.find { it.externalId == '" + linked.id + "' }.after.details.linkedAccountId",
                        equalTo(linked.atlassianAccountId))
                .body("addedIdentities.find { it.externalId == '" + linked.id + "' }.after.details.scimExternalId",
                        equalTo(linked.externalId));
    }

    @Test
    void withoutTheExtensionInTheListingEachLinkIsLookedUpByEmail() {
        simulator.org().scimExtensionOmitted = true;
        String source = "scim-" + UUID.randomUUID().toString().substring(0, 8);
        var scimUsers = simulator.org().scimUsers.values().stream().toList();
        String snapshot = pull(source, "scim-api").statusCode(201).body("total", equalTo(scimUsers.size())).extract().path("id");
        // One SCIM-link lookup per SCIM user, and each link found that way.
        assertThat(simulator.counters().responseSnapshot())
                .containsEntry("provisioning.scimLinksForEmail 200", (long) scimUsers.size());
        var linked = scimUsers.stream().filter(u -> u.atlassianAccountId != null).findFirst().orElseThrow();
        given().queryParam("limit", 10000).get("/api/snapshots/{id}/diff", snapshot).then().statusCode(200)
                .body("addedIdentities.find { it.externalId == '" + linked.id + "' }.after.details.linkedAccountId",
                        equalTo(linked.atlassianAccountId));
    }

    @Test
    void aNamedConnectionOverridesTheDefaultAndAnUnknownOneIsRefused() {
        // %test configures connection "wrong-key": the simulator's URL and org from the default, its own API key.
        String source = "atl-" + UUID.randomUUID().toString().substring(0, 8);
        given().queryParam("from", "atlassian-api").queryParam("connection", "wrong-key")
                .post("/api/sources/{source}/pulls", source).then().statusCode(502)
                .body("detail", containsString("atlassian-api@wrong-key"));
        assertThat(simulator.counters().responseSnapshot().keySet()).anyMatch(key -> key.endsWith(" 401"));
        given().queryParam("from", "atlassian-api").queryParam("connection", "nowhere")
                .post("/api/sources/{source}/pulls", source).then().statusCode(400)
                .body("errors[0].field", equalTo("connection"), "detail", containsString("wrong-key"));
        given().get("/api/sources/connections").then().statusCode(200).body("$", hasItem("wrong-key"));
        given().get("/api/sources").then().body("name", not(hasItem(source)));
    }

    @Test
    void aTenantCanAuthenticateWithTheClientCredentialsGrant() {
        String source = "entra-" + UUID.randomUUID().toString().substring(0, 8);
        int users = simulator.org().entraUsers.size();
        given().queryParam("from", "graph-api").queryParam("connection", "oauth")
                .post("/api/sources/{source}/pulls", source).then().statusCode(201).body("total", equalTo(users));
        given().queryParam("from", "graph-api").queryParam("connection", "oauth")
                .post("/api/sources/{source}/pulls", source).then().statusCode(201).body("version", equalTo(2));
        // One token for both pulls: it is reused until shortly before it expires.
        assertThat(simulator.counters().responseSnapshot()).containsEntry("identity.token 200", 1L);

        given().queryParam("from", "graph-api").queryParam("connection", "bad-secret")
                .post("/api/sources/{source}/pulls", "other-" + source).then().statusCode(502)
                .body("detail", containsString("AADSTS7000215"));
    }

    @Test
    void unknownOriginsAndUploadFormatsAreRefused() {
        pull("x", "ldap").statusCode(400).body("errors[0].field", equalTo("from"));
        pull("x", "atlassian-csv").statusCode(400);
        given().contentType("text/csv").queryParam("format", "graph-api").body("a").post("/api/sources/x/snapshots")
                .then().statusCode(400).body("errors[0].field", equalTo("format"));
    }

    private static io.restassured.response.ValidatableResponse pull(String source, String from) {
        return given().queryParam("from", from).post("/api/sources/{source}/pulls", source).then();
    }
}
