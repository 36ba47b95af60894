package io.relink.testing;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiSimulatorResourceTest {

    @Test
    void startsASeededSimulatorAndHandsOutItsUrlsAndCredentials() throws Exception {
        ApiSimulatorResource resource = new ApiSimulatorResource();
        resource.init(Map.of("accounts", "25", "seed", "3"));
        Map<String, String> config = resource.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            config.get(ApiSimulatorResource.GRAPH_URL) + "/users?$top=5"))
                    .header("Authorization", "Bearer " + config.get(ApiSimulatorResource.GRAPH_TOKEN)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"@odata.nextLink\"");
            HttpResponse<String> summary = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    config.get(ApiSimulatorResource.SIMULATOR_URL) + "/__admin/summary")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(summary.body()).contains("\"orgId\":\"" + config.get(ApiSimulatorResource.ATLASSIAN_ORG_ID) + "\"");
        } finally {
            resource.stop();
        }
    }
}
