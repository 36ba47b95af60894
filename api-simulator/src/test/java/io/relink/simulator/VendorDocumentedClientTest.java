package io.relink.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client written from the vendors' documentation only (not from Relink's clients): it follows the paging
 * recipes the docs give and backs off on 429 the way each vendor says to. With tight rate limits it must
 * still read everything, exactly once, in the documented shapes.
 */
class VendorDocumentedClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiSimulator sim;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static int throttled;

    @BeforeAll
    static void start() {
        sim = ApiSimulator.start(SimulatorConfig.defaults().withPort(0)
                        .withLimits(new SimulatorConfig.RateLimit(2, 20), new SimulatorConfig.RateLimit(2, 20),
                                new SimulatorConfig.RateLimit(2, 20), 0.0),
                SimulatorTestBase.seed(250));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** "Get managed accounts in an organization": follow links.next (a full URL) until it is absent. */
    @Test
    void atlassianV1ManagedAccounts() throws Exception {
        List<JsonNode> accounts = new ArrayList<>();
        String url = sim.baseUrl() + "/admin/v1/orgs/acme-org/users";
        int total = -1;
        while (url != null) {
            JsonNode page = get(url, sim.config().adminApiKey());
            page.get("data").forEach(accounts::add);
            total = page.path("meta").path("total").asInt();
            url = page.path("links").path("next").isTextual() ? page.get("links").get("next").asText() : null;
        }
        assertThat(accounts).hasSize(total).hasSize(sim.org().accounts.size());
        for (JsonNode account : accounts) {
            assertThat(account.get("account_id").isTextual()).isTrue();
            assertThat(account.get("account_type").asText()).isEqualTo("atlassian");
            assertThat(account.get("account_status").asText()).isIn("active", "inactive", "closed");
            assertThat(account.get("email").isTextual()).isTrue();
            assertThat(account.get("access_billable").isBoolean()).isTrue();
            assertThat(account.get("product_access").isArray()).isTrue();
        }
        assertThat(accounts.stream().map(a -> a.get("account_id").asText()).distinct()).hasSize(accounts.size());
    }

    /** Microsoft Graph: follow @odata.nextLink verbatim; delta ends with @odata.deltaLink. */
    @Test
    void graphUsersAndDelta() throws Exception {
        List<JsonNode> users = new ArrayList<>();
        String url = sim.baseUrl() + "/v1.0/users?$select=id,userPrincipalName,mail,proxyAddresses,accountEnabled&$top=999";
        while (url != null) {
            JsonNode page = get(url, sim.config().graphToken());
            page.get("value").forEach(users::add);
            url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        assertThat(users).hasSize(sim.org().entraUsers.size());
        users.forEach(u -> {
            assertThat(u.get("proxyAddresses").isArray()).isTrue();
            assertThat(u.get("accountEnabled").isBoolean()).isTrue();
        });

        String deltaLink = null;
        url = sim.baseUrl() + "/v1.0/users/delta?$select=id,mail";
        int seen = 0;
        while (url != null) {
            JsonNode page = get(url, sim.config().graphToken());
            seen += page.get("value").size();
            url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            if (page.hasNonNull("@odata.deltaLink")) {
                deltaLink = page.get("@odata.deltaLink").asText();
            }
        }
        assertThat(seen).isEqualTo(sim.org().entraUsers.size());
        assertThat(deltaLink).isNotNull();
    }

    /** Atlassian SCIM: startIndex (1-based) + count, until startIndex passes totalResults. */
    @Test
    void scimListing() throws Exception {
        List<JsonNode> users = new ArrayList<>();
        int startIndex = 1;
        int total;
        do {
            JsonNode page = get(sim.baseUrl() + "/scim/directory/acme-scim-directory/Users?startIndex=" + startIndex + "&count=100",
                    sim.config().scimApiKey());
            assertThat(page.get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
            total = page.get("totalResults").asInt();
            page.get("Resources").forEach(users::add);
            startIndex += Math.max(1, page.get("itemsPerPage").asInt());
        } while (startIndex <= total);
        assertThat(users).hasSize(sim.org().scimUsers.size());
        users.forEach(u -> assertThat(u.get("meta").get("resourceType").asText()).isEqualTo("User"));
    }

    @Test
    void documentedErrorShapes() throws Exception {
        HttpResponse<String> graph = send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1.0/users?$top=5000"))
                .header("Authorization", "Bearer " + sim.config().graphToken()).build());
        assertThat(graph.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(graph.body()).get("error").get("code").isTextual()).isTrue();

        HttpResponse<String> scim = send(HttpRequest.newBuilder(
                URI.create(sim.baseUrl() + "/scim/directory/acme-scim-directory/Users?filter=" + "displayName%20sw%20%22A%22"))
                .header("Authorization", "Bearer " + sim.config().scimApiKey()).build());
        assertThat(scim.statusCode()).isEqualTo(400);
        JsonNode scimError = JSON.readTree(scim.body());
        assertThat(scimError.get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(scimError.get("status").asText()).isEqualTo("400");

        HttpResponse<String> atlassian = send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/admin/v1/orgs/acme-org/users")).build());
        assertThat(atlassian.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(atlassian.body()).get("errors").get(0).get("status").asText()).isEqualTo("401");
    }

    @Test
    void theTightLimitsWereActuallyHit() throws Exception {
        atlassianV1ManagedAccounts();
        graphUsersAndDelta();
        assertThat(throttled).as("429 answers the documented back-off had to handle").isPositive();
    }

    /** GET with the back-off each vendor documents: Retry-After when present, else X-RateLimit-Reset. */
    private static JsonNode get(String url, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").build());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Duration backoff(HttpResponse<String> response) {
        var retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent()) {
            return Duration.ofSeconds(Long.parseLong(retryAfter.get()));
        }
        var reset = response.headers().firstValue("X-RateLimit-Reset").orElseThrow(
                () -> new AssertionError("429 without Retry-After or X-RateLimit-Reset"));
        Duration wait = Duration.between(Instant.now(), Instant.parse(reset));
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Sends, waiting out 429 answers as documented; returns the first answer that is not a 429. */
    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429) {
                return response;
            }
            throttled++;
            Thread.sleep(backoff(response).toMillis());
        }
        throw new AssertionError("still throttled after 50 attempts: " + request.uri());
    }
}
