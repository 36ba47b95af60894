package io.relink.inventory.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.relink.testing.ApiSimulatorResource;
import io.relink.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

/** A configured schedule pulls on its own, through the same path as an on-demand pull. */
@QuarkusTest
@TestProfile(ScheduledPullTest.EverySecond.class)
class ScheduledPullTest {

    @BeforeEach
    void actAsAdmin() {
        TestTokens.authenticateAsAdmin();
    }

    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relink.inventory.schedules.entra.source", "scheduled-entra",
                    "relink.inventory.schedules.entra.from", "graph-delta",
                    "relink.inventory.schedules.entra.every", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ApiSimulatorResource.class, Map.of("accounts", "40")));
        }
    }

    @Test
    void theScheduleKeepsTheSourceCurrentAndReportsItsLastRun() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/sources").then()
                .body("name", hasItem("scheduled-entra")));
        // Later runs are delta rounds on top of the first snapshot.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/sources/scheduled-entra/snapshots")
                .then().body("size()", greaterThanOrEqualTo(2)));
        given().get("/api/schedules").then().statusCode(200)
                .body("[0].name", equalTo("entra"), "[0].from", equalTo("graph-delta"), "[0].lastRun.ok", equalTo(true));
    }
}
