package io.relink.inventory.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.FaultSpec;
import io.relink.testing.ApiSimulatorResource;
import io.relink.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Waiting out 429s spends no attempt, but it is bounded: a call still throttled when its retry time is up fails as
 * rate limited (here after 3 s instead of the default 10 minutes), and the pull imports nothing.
 */
@QuarkusTest
@TestProfile(ThrottledPullTest.ShortRetryTime.class)
class ThrottledPullTest {

    public static class ShortRetryTime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relink.clients.max-retry-duration", "3s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ApiSimulatorResource.class, Map.of("accounts", "40")));
        }
    }

    ApiSimulator simulator;

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    @Test
    void aCallStillThrottledWhenItsRetryTimeIsUpFailsAsRateLimited() {
        simulator.endpoints().putFault(new FaultSpec("graph.listUsers", 0, null, 0, 0, 0, 0, 1.0));
        try {
            long started = System.nanoTime();
            given().queryParam("from", "graph-api").post("/api/sources/{source}/pulls", "throttled-entra").then()
                    .statusCode(502).body("detail", containsString("answered 429 (rate limited), still after 3 s of waiting"),
                            "detail", containsString("nothing was imported"));
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the pull gave up").isBetween(1_900L, 30_000L);
            assertThat(simulator.counters().responseSnapshot().get("graph.listUsers 429")).as("429s waited out")
                    .isGreaterThanOrEqualTo(2L);
            given().get("/api/sources").then().body("name", not(hasItem("throttled-entra")));
        } finally {
            simulator.endpoints().clearFaults();
        }
    }
}
