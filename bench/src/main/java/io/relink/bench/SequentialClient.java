package io.relink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.AtlassianAccount;
import io.relink.simulator.model.SimulatedOrg;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The baseline: what an admin's script does today — for each user, one call at a time: add to the group, poll SCIM
 * until linked, add to the policy, poll the task. Same endpoints and credentials as Relink; no batching, no overlap.
 * Polls every {@link #POLL_MILLIS} ms, which is generous to it.
 */
final class SequentialClient {

    private static final long POLL_MILLIS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiSimulator simulator;
    private final HttpClient http = HttpClient.newHttpClient();

    SequentialClient(ApiSimulator simulator) {
        this.simulator = simulator;
    }

    double secondsPerUser() throws Exception {
        SimulatedOrg org = simulator.org();
        SimulatorConfig config = simulator.config();
        String base = simulator.baseUrl();
        Map<String, String> idpByMail = new HashMap<>();
        org.entraUsers.values().forEach(u -> idpByMail.put(u.mail.toLowerCase(Locale.ROOT), u.id));
        List<AtlassianAccount> accounts = List.copyOf(org.accounts.values());
        long started = System.nanoTime();
        for (AtlassianAccount account : accounts) {
            String idp = idpByMail.get(account.email.toLowerCase(Locale.ROOT));
            call("POST", base + "/v1.0/groups/atlassian-cloud-users/members/$ref", "Bearer " + config.graphToken(),
                    "{\"@odata.id\":\"" + base + "/v1.0/directoryObjects/" + idp + "\"}");
            String filter = URLEncoder.encode("userName eq \"" + account.email + "\"", StandardCharsets.UTF_8);
            while (call("GET", base + "/scim/directory/" + org.scimDirectoryId + "/Users?filter=" + filter,
                    "Bearer " + config.scimApiKey(), null).path("totalResults").asInt() == 0) {
                Thread.sleep(POLL_MILLIS);
            }
            String task = call("POST", base + "/admin/control/v1/orgs/" + org.orgId + "/auth-policy/sso-policy/add-users",
                    "Bearer " + config.adminApiKey(), "{\"users\":[\"" + account.email + "\"]}").path("taskId").asText();
            while (call("GET", base + "/admin/control/v1/orgs/" + org.orgId + "/auth-policy/task/" + task,
                    "Bearer " + config.adminApiKey(), null).path("inProgressCount").asInt() > 0) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        long moved = accounts.stream().filter(a -> "sso-policy".equals(org.accounts.get(a.accountId).policyId)).count();
        if (moved != accounts.size()) {
            throw new IllegalStateException("the sequential client moved " + moved + " of " + accounts.size());
        }
        return (System.nanoTime() - started) / 1e9 / accounts.size();
    }

    /** One call; a 429 is waited out (Retry-After, else one second) and repeated, as a careful script would. */
    private JsonNode call(String method, String url, String authorization, String body) throws Exception {
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization);
            request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                    : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                Thread.sleep(response.headers().firstValue("Retry-After").map(s -> Long.parseLong(s) * 1000).orElse(1000L));
                continue;
            }
            if (response.statusCode() >= 400) {
                throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
    }
}
