package io.relink.simulator;

import io.relink.simulator.model.EntraUser;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

class GraphApiTest extends SimulatorTestBase {

    @Test
    void usersArePagedWithNextLinkAndSelectReturnsOnlyWhatWasAsked() {
        List<String> ids = new ArrayList<>();
        JsonPath page = graph().queryParam("$select", "id,mail,proxyAddresses").queryParam("$top", 25).get("/v1.0/users")
                .then().statusCode(200).body("value[0]", not(hasKey("displayName")), "value[0]", hasKey("proxyAddresses"))
                .extract().jsonPath();
        ids.addAll(page.getList("value.id"));
        String next = page.getString("'@odata.nextLink'");
        while (next != null) {
            page = graph().get(next).then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("value.id"));
            assertThat(page.getMap("value[0]")).containsOnlyKeys("id", "mail", "proxyAddresses");
            next = page.getString("'@odata.nextLink'");
        }
        assertThat(ids).hasSize(sim.org().entraUsers.size()).doesNotHaveDuplicates();
    }

    @Test
    void defaultPropertiesLeaveOutSelectOnlyOnes() {
        graph().get("/v1.0/users").then().statusCode(200)
                .body("value[0]", hasKey("userPrincipalName"), "value[0]", not(hasKey("proxyAddresses")),
                        "value[0]", not(hasKey("accountEnabled")));
    }

    @Test
    void badQueriesAndCredentialsGetGraphErrors() {
        graph().queryParam("$top", 1000).get("/v1.0/users").then().statusCode(400).body("error.code", equalTo("Request_BadRequest"));
        graph().queryParam("$select", "id,favouriteColour").get("/v1.0/users").then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.containsString("favouriteColour"));
        given().get("/v1.0/users").then().statusCode(401).body("error.code", equalTo("InvalidAuthenticationToken"));
    }

    @Test
    void deltaReturnsChangesAndRemovalsThenExpiresIntoAFullResync() {
        // First round: every user, then a deltaLink.
        String link = "/v1.0/users/delta?$select=id,mail,accountEnabled";
        int seen = 0;
        String deltaLink = null;
        while (link != null) {
            JsonPath page = graph().get(link).then().statusCode(200).extract().jsonPath();
            seen += page.getList("value").size();
            link = page.getString("'@odata.nextLink'");
            deltaLink = page.getString("'@odata.deltaLink'");
        }
        assertThat(seen).isEqualTo(sim.org().entraUsers.size());
        assertThat(deltaLink).contains("$deltatoken=");

        List<EntraUser> users = new ArrayList<>(sim.org().entraUsers.values());
        String changed = users.get(0).id;
        String deleted = users.get(1).id;
        given().contentType("application/json").body(Map.of("mail", "renamed@acme-corp.example"))
                .patch("/__admin/entra/users/{id}", changed).then().statusCode(200);
        given().delete("/__admin/entra/users/{id}", deleted).then().statusCode(204);

        JsonPath changes = graph().get(deltaLink).then().statusCode(200)
                .body("'@odata.deltaLink'", notNullValue()).extract().jsonPath();
        assertThat(changes.getList("value")).hasSize(2);
        assertThat(changes.getString("value.find { it.id == '" + changed + "' }.mail")).isEqualTo("renamed@acme-corp.example");
        assertThat(changes.getString("value.find { it.id == '" + deleted + "' }.'@removed'.reason")).isEqualTo("changed");

        // Nothing new since the last deltaLink.
        String latest = changes.getString("'@odata.deltaLink'");
        graph().get(latest).then().statusCode(200).body("value.size()", equalTo(0));

        given().post("/__admin/graph/expire-delta-tokens").then().statusCode(204);
        graph().get(latest).then().statusCode(410).body("error.code", equalTo("syncStateNotFound"));
    }

    @Test
    void graphThrottlingAnswers429WithRetryAfter() {
        given().contentType("application/json").body("{\"capacity\":2,\"perSecond\":0.2}").put("/__admin/rate-limits/graph")
                .then().statusCode(200);
        graph().get("/v1.0/users").then().statusCode(200);
        graph().get("/v1.0/users").then().statusCode(200);
        var limited = graph().get("/v1.0/users").then().statusCode(429).body("error.code", equalTo("TooManyRequests"))
                .extract();
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 10);
    }

    @Test
    void injectedFaultsAreAnsweredAndCleared() {
        given().contentType("application/json").body("{\"endpoint\":\"graph.listUsers\",\"errorRate\":1.0,\"statuses\":[503]}")
                .put("/__admin/faults").then().statusCode(200);
        graph().get("/v1.0/users").then().statusCode(503);
        graph().get("/v1.0/users/delta").then().statusCode(200); // other endpoints unaffected

        given().contentType("application/json").body("{\"endpoint\":\"*\",\"latencyMs\":300}").put("/__admin/faults");
        given().delete("/__admin/faults").then().statusCode(200).body("faults.size()", equalTo(0));

        given().contentType("application/json").body("{\"endpoint\":\"graph.getUser\",\"dropRate\":1.0}").put("/__admin/faults");
        String id = sim.org().entraUsers.keySet().iterator().next();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> graph().get("/v1.0/users/{id}", id))
                .isInstanceOf(Exception.class);
        given().delete("/__admin/faults");
        graph().get("/v1.0/users/{id}", id).then().statusCode(200).body("id", equalTo(id));

        given().contentType("application/json").body("{\"endpoint\":\"x\",\"errorRate\":2}").put("/__admin/faults")
                .then().statusCode(400);
    }
}
