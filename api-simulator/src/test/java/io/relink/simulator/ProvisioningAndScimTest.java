package io.relink.simulator;

import io.relink.simulator.model.AtlassianAccount;
import io.relink.simulator.model.EntraUser;
import io.relink.simulator.model.OrgSeeder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** SCIM as documented, and the Entra-to-Atlassian provisioning link as it behaves in reality. */
class ProvisioningAndScimTest extends SimulatorTestBase {

    private static final String MEMBERS = "/v1.0/groups/" + OrgSeeder.SCOPE_GROUP_ID + "/members/$ref";

    @Test
    void scimSupportsOnlyTheDocumentedFiltersAndCapsPages() {
        scim().queryParam("filter", "emails.value eq \"a@b.c\"").get("/scim/directory/{dir}/Users", SCIM_DIR)
                .then().statusCode(400).body("scimType", equalTo("invalidFilter"), "status", equalTo("400"));
        scim().queryParam("count", 500).get("/scim/directory/{dir}/Users", SCIM_DIR).then().statusCode(200)
                .body("itemsPerPage", org.hamcrest.Matchers.lessThanOrEqualTo(100));
        var linked = sim.org().scimUsers.values().stream().filter(u -> u.atlassianAccountId != null).findFirst().orElseThrow();
        scim().queryParam("filter", "userName eq \"" + linked.userName.toUpperCase(Locale.ROOT) + "\"")
                .get("/scim/directory/{dir}/Users", SCIM_DIR).then().statusCode(200)
                .body("totalResults", equalTo(1), "Resources[0].id", equalTo(linked.id),
                        "Resources[0].'urn:scim:schemas:extension:atlassian-external:1.0'.atlassianAccountId",
                        equalTo(linked.atlassianAccountId));
        scim().queryParam("filter", "externalId eq \"" + linked.externalId + "\"").get("/scim/directory/{dir}/Users", SCIM_DIR)
                .then().body("totalResults", equalTo(1));
        given().get("/scim/directory/{dir}/Users", SCIM_DIR).then().statusCode(401);
    }

    @Test
    void scimPagingWithStartIndex() {
        for (int i = 0; i < 120; i++) {
            scim().contentType("application/scim+json").body(scimUser("bulk" + i + "@acme-corp.example", "ext-" + i))
                    .post("/scim/directory/{dir}/Users", SCIM_DIR).then().statusCode(201);
        }
        int total = sim.org().scimUsers.size();
        var first = scim().queryParam("startIndex", 1).queryParam("count", 100).get("/scim/directory/{dir}/Users", SCIM_DIR)
                .then().statusCode(200).body("totalResults", equalTo(total), "itemsPerPage", equalTo(100)).extract().jsonPath();
        var second = scim().queryParam("startIndex", 101).queryParam("count", 100).get("/scim/directory/{dir}/Users", SCIM_DIR)
                .then().statusCode(200).body("startIndex", equalTo(101)).extract().jsonPath();
        assertThat(first.getList("Resources.id")).doesNotContainAnyElementsOf(second.getList("Resources.id"));
        assertThat(first.getList("Resources").size() + second.getList("Resources").size()).isEqualTo(total);
    }

    @Test
    void scimCreateLinksAnExistingAccountRefusesADuplicateAndDeleteDeactivates() {
        AtlassianAccount local = firstLocalActiveAccount();
        String id = scim().contentType("application/scim+json").body(scimUser(local.email, "ext-1"))
                .post("/scim/directory/{dir}/Users", SCIM_DIR).then().statusCode(201)
                .body("'urn:scim:schemas:extension:atlassian-external:1.0'.atlassianAccountId", equalTo(local.accountId))
                .extract().path("id");
        assertThat(local.managementSource).isEqualTo("synced");
        scim().contentType("application/scim+json").body(scimUser(local.email, "ext-2"))
                .post("/scim/directory/{dir}/Users", SCIM_DIR).then().statusCode(409)
                .body("scimType", equalTo("uniqueness"), "detail", org.hamcrest.Matchers.containsString("already exists"));
        scim().delete("/scim/directory/{dir}/Users/{id}", SCIM_DIR, id).then().statusCode(204);
        assertThat(local.accountStatus).isEqualTo("inactive");
    }

    @Test
    void scopeMembershipProvisionsByMailAndLinksTheExistingAccount() {
        EntraUser user = userWhoseMailHasAnAccount();
        AtlassianAccount account = sim.org().accountByEmail(user.mail).orElseThrow();
        graph().contentType("application/json").body(ref(user.id)).post(MEMBERS).then().statusCode(204);
        // Adding again: Graph's documented 400 for an existing member.
        graph().contentType("application/json").body(ref(user.id)).post(MEMBERS).then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.containsString("already exist"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().queryParam("email", user.mail)
                .get("/__admin/accounts").then().body("scimExternalId", equalTo(user.id), "managementSource", equalTo("synced")));
        given().get("/__admin/provisioning-log").then()
                .body("events.find { it.entraUserId == '" + user.id + "' }.outcome", equalTo("LINKED"),
                        "events.find { it.entraUserId == '" + user.id + "' }.atlassianAccountId", equalTo(account.accountId));
        given().get("/__admin/counters").then().body("mutations.'graph.addGroupMember'.'" + user.id + "'", equalTo(2));
    }

    @Test
    void aUserWithoutAMatchingAccountGetsADuplicateAndDisabledUsersAreSkipped() {
        EntraUser hire = sim.org().entraUsers.values().stream().filter(u -> u.mail.startsWith("newhire")).findFirst().orElseThrow();
        EntraUser disabled = sim.org().entraUsers.values().stream().filter(u -> !u.accountEnabled).findFirst().orElseThrow();
        int accountsBefore = sim.org().accounts.size();
        graph().contentType("application/json").body(Map.of("members@odata.bind", List.of(
                        "https://graph.microsoft.com/v1.0/directoryObjects/" + hire.id,
                        "https://graph.microsoft.com/v1.0/directoryObjects/" + disabled.id)))
                .patch("/v1.0/groups/{id}", OrgSeeder.SCOPE_GROUP_ID).then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/__admin/provisioning-log").then()
                .body("events.find { it.entraUserId == '" + hire.id + "' }.outcome", equalTo("CREATED"),
                        "events.find { it.entraUserId == '" + disabled.id + "' }.outcome", equalTo("SKIPPED")));
        assertThat(sim.org().accounts.size()).isEqualTo(accountsBefore + 1);
    }

    @Test
    void aStaleScimRecordMakesProvisioningFailWithUniqueness() {
        var stale = sim.org().scimUsers.values().stream().filter(u -> u.atlassianAccountId == null).findFirst().orElseThrow();
        EntraUser owner = sim.org().entraUsers.values().stream().filter(u -> stale.userName.equalsIgnoreCase(u.mail))
                .findFirst().orElseThrow();
        graph().contentType("application/json").body(ref(owner.id)).post(MEMBERS).then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/__admin/provisioning-log").then()
                .body("events.find { it.entraUserId == '" + owner.id + "' }.outcome", equalTo("FAILED"),
                        "events.find { it.entraUserId == '" + owner.id + "' }.detail", org.hamcrest.Matchers.containsString("409")));
    }

    @Test
    void appRoleAssignmentAlsoPutsTheUserInScopeAndRemovalDeactivates() {
        EntraUser user = userWhoseMailHasAnAccount();
        String assignment = graph().contentType("application/json")
                .body(Map.of("principalId", user.id, "resourceId", OrgSeeder.SERVICE_PRINCIPAL_ID, "appRoleId", OrgSeeder.APP_ROLE_ID))
                .post("/v1.0/servicePrincipals/{sp}/appRoleAssignedTo", OrgSeeder.SERVICE_PRINCIPAL_ID)
                .then().statusCode(201).body("principalId", equalTo(user.id), "principalType", equalTo("User"))
                .extract().path("id");
        graph().contentType("application/json")
                .body(Map.of("principalId", user.id, "resourceId", OrgSeeder.SERVICE_PRINCIPAL_ID, "appRoleId", OrgSeeder.APP_ROLE_ID))
                .post("/v1.0/servicePrincipals/{sp}/appRoleAssignedTo", OrgSeeder.SERVICE_PRINCIPAL_ID).then().statusCode(400);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().queryParam("email", user.mail)
                .get("/__admin/accounts").then().body("scimExternalId", equalTo(user.id)));

        graph().delete("/v1.0/servicePrincipals/{sp}/appRoleAssignedTo/{id}", OrgSeeder.SERVICE_PRINCIPAL_ID, assignment)
                .then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().queryParam("email", user.mail)
                .get("/__admin/accounts").then().body("accountStatus", equalTo("inactive")));
        graph().get("/v1.0/servicePrincipals/{sp}/appRoleAssignedTo", OrgSeeder.SERVICE_PRINCIPAL_ID).then()
                .body("value", hasSize(0));
    }

    private static AtlassianAccount firstLocalActiveAccount() {
        return sim.org().accounts.values().stream()
                .filter(a -> "active".equals(a.accountStatus) && a.scimUserId == null && "local-policy".equals(a.policyId)
                        && sim.org().scimUserByUserName(a.email).isEmpty())
                .findFirst().orElseThrow();
    }

    private static EntraUser userWhoseMailHasAnAccount() {
        return sim.org().entraUsers.values().stream()
                .filter(u -> u.accountEnabled && "Member".equals(u.userType))
                .filter(u -> sim.org().accountByEmail(u.mail).map(a -> a.scimUserId == null && "active".equals(a.accountStatus)).orElse(false))
                .filter(u -> sim.org().scimUserByUserName(u.mail).isEmpty())
                .findFirst().orElseThrow();
    }

    private static Map<String, String> ref(String userId) {
        return Map.of("@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/" + userId);
    }

    private static Map<String, Object> scimUser(String email, String externalId) {
        return Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", email, "externalId", externalId, "active", true, "displayName", "Someone",
                "name", Map.of("givenName", "Some", "familyName", "One"),
                "emails", List.of(Map.of("value", email, "type", "work", "primary", true)));
    }
}
