package io.relink.simulator;

import io.relink.simulator.model.SeedSpec;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;

import static io.restassured.RestAssured.given;

/** One embedded simulator per test class, reset before every test. */
abstract class SimulatorTestBase {

    static final String ORG = "acme-org";
    static final String SCIM_DIR = "acme-scim-directory";
    static ApiSimulator sim;

    @BeforeAll
    static void startSimulator() {
        sim = ApiSimulator.start(SimulatorConfig.defaults().withPort(0).withDelays(Duration.ofMillis(50), Duration.ofMillis(50)),
                seed(60));
        RestAssured.baseURI = sim.baseUrl();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void resetWorld() {
        given().post("/__admin/reset").then().statusCode(200);
        sim.rateLimits().configure(Api.ATLASSIAN_ADMIN, SimulatorConfig.defaults().atlassianAdminLimit());
        sim.rateLimits().configure(Api.ATLASSIAN_SCIM, SimulatorConfig.defaults().scimLimit());
        sim.rateLimits().configure(Api.GRAPH, SimulatorConfig.defaults().graphLimit());
    }

    static SeedSpec seed(int accounts) {
        return new SeedSpec(null, null, null, null, accounts, 7L, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + sim.config().adminApiKey());
    }

    static RequestSpecification scim() {
        return given().header("Authorization", "Bearer " + sim.config().scimApiKey());
    }

    static RequestSpecification graph() {
        return given().header("Authorization", "Bearer " + sim.config().graphToken());
    }
}
