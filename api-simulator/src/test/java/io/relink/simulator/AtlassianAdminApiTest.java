package io.relink.simulator;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

class AtlassianAdminApiTest extends SimulatorTestBase {

    @Test
    void credentialsAreRequiredInTheDocumentedForm() {
        given().get("/admin/v1/orgs/{org}/users", ORG).then().statusCode(401)
                .body("errors[0].status", equalTo("401"), "errors[0].code", equalTo("ADMIN-UAM-401-1"));
        given().header("Authorization", "Bearer wrong").get("/admin/v1/orgs/{org}/users", ORG).then().statusCode(401);
        // The SCIM key is not the org key.
        given().header("Authorization", "Bearer " + sim.config().scimApiKey()).get("/admin/v1/orgs/{org}/users", ORG)
                .then().statusCode(401);
        admin().get("/admin/v1/orgs/{org}/users", "other-org").then().statusCode(404).body("errors[0].code", equalTo("ADMIN-UAM-404-2"));
    }

    @Test
    void v2FiltersAndCursorPaging() {
        int total = sim.org().accounts.size();
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            var request = admin().queryParam("limit", 7);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/admin/v2/orgs/{org}/directories/-/users", ORG).then().statusCode(200)
                    .body("data", everyItem(org.hamcrest.Matchers.hasKey("managementSource"))).extract().jsonPath();
            ids.addAll(page.getList("data.accountId"));
            cursor = page.getString("links.next");
        } while (cursor != null);
        assertThat(ids).hasSize(total).doesNotHaveDuplicates();

        admin().queryParam("accountStatus", "inactive").get("/admin/v2/orgs/{org}/directories/-/users", ORG).then()
                .statusCode(200).body("data.accountStatus", everyItem(equalTo("inactive")));
        admin().queryParam("managementSource", "synced").get("/admin/v2/orgs/{org}/directories/-/users", ORG).then()
                .statusCode(200).body("data.managementSource", everyItem(equalTo("synced")));
        admin().queryParam("claimStatus", "maybe").get("/admin/v2/orgs/{org}/directories/-/users", ORG).then()
                .statusCode(400).body("errors[0].detail", org.hamcrest.Matchers.containsString("claimStatus"));
        admin().queryParam("limit", 101).get("/admin/v2/orgs/{org}/directories/-/users", ORG).then().statusCode(400);
        admin().get("/admin/v2/orgs/{org}/directories/{dir}/users", ORG, "unknown-dir").then().statusCode(404);
    }

    @Test
    void addUsersIsAsynchronousAndNamesEveryFailedUser() {
        String local = sim.org().accounts.values().stream()
                .filter(a -> "active".equals(a.accountStatus) && "local-policy".equals(a.policyId)).findFirst().orElseThrow().email;
        String inactive = sim.org().accounts.values().stream().filter(a -> "inactive".equals(a.accountStatus)).findFirst()
                .orElseThrow().email;
        JsonPath accepted = admin().contentType("application/json")
                .body(Map.of("users", List.of(local, "nobody@acme-corp.example", inactive)))
                .post("/admin/control/v1/orgs/{org}/auth-policy/{policy}/add-users", ORG, "sso-policy")
                .then().statusCode(202).body("taskId", notNullValue(), "taskLink", notNullValue()).extract().jsonPath();
        String taskId = accepted.getString("taskId");
        assertThat(accepted.getString("taskLink")).endsWith("/auth-policy/task/" + taskId);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin().get("/admin/control/v1/orgs/{org}/auth-policy/task/{task}", ORG, taskId).then().statusCode(200)
                        .body("inProgressCount", equalTo(0), "successCount", equalTo(1), "failureCount", equalTo(2),
                                "failureReasons.email", org.hamcrest.Matchers.containsInAnyOrder("nobody@acme-corp.example", inactive)));
        admin().contentType("application/json").body(Map.of("users", List.of(local)))
                .post("/admin/control/v1/orgs/{org}/users/auth-policies/bulk-fetch", ORG)
                .then().statusCode(200).body("data[0].policyId", equalTo("sso-policy"), "data[0].policyName", equalTo("Entra SSO"));
        given().get("/__admin/counters").then().body("mutations.'control.addUsers'.'" + local.toLowerCase() + "'", equalTo(1));
    }

    @Test
    void addUsersRefusesBadBodiesAndUnknownPolicies() {
        admin().contentType("application/json").body("{\"users\":[]}")
                .post("/admin/control/v1/orgs/{org}/auth-policy/{policy}/add-users", ORG, "sso-policy").then().statusCode(400);
        admin().contentType("application/json").body("{not json")
                .post("/admin/control/v1/orgs/{org}/auth-policy/{policy}/add-users", ORG, "sso-policy").then().statusCode(400);
        admin().contentType("application/json").body("{\"users\":[\"a@b.c\"]}")
                .post("/admin/control/v1/orgs/{org}/auth-policy/{policy}/add-users", ORG, "no-such-policy").then().statusCode(404);
        admin().get("/admin/control/v1/orgs/{org}/auth-policy/task/{task}", ORG, "no-such-task").then().statusCode(404);
    }

    @Test
    void atlassianRateLimitAnswersWithRateLimitHeaders() {
        given().contentType("application/json").body("{\"capacity\":3,\"perSecond\":0.5}")
                .put("/__admin/rate-limits/atlassian-admin").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            admin().get("/admin/v1/orgs/{org}/users", ORG).then().statusCode(200);
        }
        var limited = admin().get("/admin/v1/orgs/{org}/users", ORG).then().statusCode(429)
                .header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Reset", notNullValue()).extract();
        assertThat(java.time.Instant.parse(limited.header("X-RateLimit-Reset"))).isAfter(java.time.Instant.now().minusSeconds(1));
    }

    @Test
    void scimLinksForEmail() {
        var linked = sim.org().accounts.values().stream().filter(a -> a.scimUserId != null).findFirst().orElseThrow();
        admin().contentType("application/json").body(Map.of("email", linked.email.toUpperCase()))
                .post("/admin/user-provisioning/v1/org/{org}/get-scim-links-for-email", ORG)
                .then().statusCode(200).body("scimLinks", hasSize(1), "scimLinks[0].atlassianAccountId", equalTo(linked.accountId),
                        "scimLinks[0].directoryId", equalTo(SCIM_DIR), "scimLinks[0].orgId", equalTo(ORG));
        admin().contentType("application/json").body(Map.of("email", "nobody@x.example"))
                .post("/admin/user-provisioning/v1/org/{org}/get-scim-links-for-email", ORG)
                .then().statusCode(200).body("scimLinks", hasSize(0));
        admin().get("/admin/user-provisioning/v1/org/{org}/user/{id}/get-scim-links", ORG, linked.accountId)
                .then().statusCode(200).body("scimLinks[0].scimUserId", equalTo(linked.scimUserId));
    }

    @Test
    void sameSeedGivesTheSameWorld() {
        var first = new HashSet<>(sim.org().entraUsers.keySet());
        given().contentType("application/json").body("{\"accounts\":60,\"seed\":7}").post("/__admin/seed").then().statusCode(200);
        assertThat(sim.org().entraUsers.keySet()).isEqualTo(first);
        given().contentType("application/json").body("{\"accounts\":60,\"seed\":8}").post("/__admin/seed").then().statusCode(200);
        assertThat(sim.org().entraUsers.keySet()).isNotEqualTo(first);
        given().contentType("application/json").body("{\"accounts\":60,\"seed\":7,\"bogus\":1}").post("/__admin/seed")
                .then().statusCode(400);
        given().contentType("application/json").body("{\"caseDifferences\":0.9,\"disabled\":0.5}").post("/__admin/seed")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("more than 1"));
    }
}
