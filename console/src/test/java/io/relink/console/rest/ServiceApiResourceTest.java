package io.relink.console.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(StandInServices.class)
class ServiceApiResourceTest {

    @BeforeEach
    void forget() {
        StandInServices.RECEIVED.clear();
    }

    @Test
    void aCallIsForwardedWithTheCallersTokenAndNothingElse() {
        given().urlEncodingEnabled(false).header("Authorization", "Bearer abc.def.ghi").header("Cookie", "session=secret")
                .get("/api/matcher/reviews/acme%20corp?state=open&limit=5")
                .then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"seen.json\"")
                .header("Set-Cookie", nullValue())
                .header("Cache-Control", "no-store")
                .body("method", equalTo("GET"), "path", equalTo("/api/reviews/acme%20corp"),
                        "query", equalTo("state=open&limit=5"), "authorization", equalTo("Bearer abc.def.ghi"),
                        "cookie", nullValue());
    }

    @Test
    void aPostCarriesItsBodyAndContentType() {
        given().header("Authorization", "Bearer t").contentType("application/json").body("{\"reason\":\"ok\"}")
                .post("/api/inventory/snapshots/1/reject")
                .then().statusCode(200)
                .body("method", equalTo("POST"), "path", equalTo("/api/snapshots/1/reject"),
                        "contentType", equalTo("application/json"), "body", equalTo("{\"reason\":\"ok\"}"));
    }

    @Test
    void aServicesRefusalReachesThePageAsIs() {
        given().get("/api/matcher/refuse").then().statusCode(403).contentType("application/problem+json")
                .body("title", equalTo("Forbidden"));
    }

    @Test
    void unknownServicesAndPathsThatLeaveTheApiAreRefusedWithoutACall() {
        given().get("/api/billing/invoices").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("Unknown service 'billing'"));
        // The HTTP layer already resolves dot segments: this one names no service.
        given().urlEncodingEnabled(false).get("/api/matcher/%2e%2e/q/metrics").then().statusCode(404)
                .contentType("application/problem+json");
        given().urlEncodingEnabled(false).get("/api/matcher/reviews%2F..%2F..%2Fq%2Fmetrics").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("not a plain API path"));
        assertThat(StandInServices.RECEIVED).isEmpty();
    }

    @Test
    void anUnreachableServiceIsABadGatewayProblem() {
        given().get("/api/executor/campaigns").then().statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("The executor service is unreachable"));
    }

    @Test
    void thePagesAreServedWithAPolicyThatOnlyRunsTheConsolesOwnScripts() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("<script src=\"console.js\"></script>"));
        given().get("/console.js").then().statusCode(200).body(containsString("Authorization"));
    }
}
