package io.relink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.testing.TestTokens;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nobody acts without the right role, on every operation of every service, read from each service's OpenAPI
 * document so that an endpoint added tomorrow is covered: each operation must declare the bearer scheme with its
 * roles; without a token, or with an expired, forged, foreign-issuer or foreign-audience token, it answers 401 with
 * problem details; with a token lacking the role, 403; with the role (or a role that brings it: admin brings all,
 * operator and reviewer bring viewer), it gets past authorization. Requests carry bodies and ids that the operation
 * then refuses, and no row of any table may change.
 */
class AuthorizationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROLES = List.of("viewer", "reviewer", "operator", "admin");
    private static final Map<String, Set<String>> IMPLIED = Map.of("admin", Set.of("admin", "operator", "reviewer", "viewer"),
            "operator", Set.of("operator", "viewer"), "reviewer", Set.of("reviewer", "viewer"), "viewer", Set.of("viewer"));
    private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");
    /** Malformed: whoever gets past authorization is refused with a 400, and nothing is written. */
    private static final byte[] BODY = "{\"".getBytes(StandardCharsets.UTF_8);

    private static RunningServices services;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        services = RunningServices.start();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void everyOperationNeedsAValidTokenWithItsRole() throws Exception {
        Map<String, String> refusedTokens = refusedTokens();
        Map<String, Long> before = RunningServices.rowCounts();
        List<String> failures = new ArrayList<>();
        int operations = 0;
        for (String service : RunningServices.SERVICES) {
            JsonNode paths = services.openApi(service).path("paths");
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                String concretePath = path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> operation = ops.next();
                    String method = operation.getKey().toUpperCase(Locale.ROOT);
                    String where = service + " " + method + " " + path.getKey();
                    operations++;
                    List<String> required = new ArrayList<>();
                    operation.getValue().path("security").forEach(requirement -> requirement.path("bearer")
                            .forEach(role -> required.add(role.asText())));
                    if (required.isEmpty()) {
                        failures.add(where + ": declares no bearer roles (open to anybody?)");
                        continue;
                    }
                    if (WITH_BODY.contains(operation.getKey()) && required.contains("viewer")) {
                        failures.add(where + ": changes state but is open to viewers");
                    }
                    expectUnauthenticated(where, method, service, concretePath, null, "no token", failures);
                    for (Map.Entry<String, String> token : refusedTokens.entrySet()) {
                        expectUnauthenticated(where, method, service, concretePath, token.getValue(), token.getKey(), failures);
                    }
                    int status = send(method, service, concretePath, TestTokens.token("guest@example.com", "guest")).statusCode();
                    if (status != 403) {
                        failures.add(where + " with a role Relink does not know: " + status + " instead of 403");
                    }
                    for (String role : ROLES) {
                        boolean allowed = IMPLIED.get(role).stream().anyMatch(required::contains);
                        HttpResponse<String> response = send(method, service, concretePath, TestTokens.token(role + "@example.com", role));
                        if (allowed && (response.statusCode() == 401 || response.statusCode() == 403)) {
                            failures.add(where + " as " + role + " (needs " + required + "): refused " + response.statusCode());
                        } else if (!allowed && response.statusCode() != 403) {
                            failures.add(where + " as " + role + " (needs " + required + "): " + response.statusCode() + " instead of 403");
                        } else if (!allowed && !JSON.readTree(response.body()).path("detail").asText().contains(role + "@example.com")) {
                            failures.add(where + " as " + role + ": the 403 does not say who was refused: " + response.body());
                        }
                    }
                }
            }
        }
        assertThat(operations).as("operations found").isGreaterThan(30);
        assertThat(failures).as("authorization failures").isEmpty();
        assertThat(RunningServices.rowCounts()).as("rows per table after every request").isEqualTo(before);
    }

    /** Tokens each service must refuse: right shape and roles, wrong in one way each. */
    private static Map<String, String> refusedTokens() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        tokens.put("a token signed by another key", Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .upn("mallory@example.com").groups("admin").expiresIn(Duration.ofHours(1)).sign(generator.generateKeyPair().getPrivate()));
        tokens.put("an expired token", TestTokens.sign(Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .upn("late@example.com").groups("admin").issuedAt(Instant.now().minus(Duration.ofHours(2)))
                .expiresAt(Instant.now().minus(Duration.ofHours(1)))));
        tokens.put("a token from another issuer", TestTokens.sign(Jwt.issuer("https://login.example.org")
                .audience(TestTokens.AUDIENCE).upn("other@example.com").groups("admin").expiresIn(Duration.ofHours(1))));
        tokens.put("a token for another audience", TestTokens.sign(Jwt.issuer(TestTokens.ISSUER).audience("another-app")
                .upn("other@example.com").groups("admin").expiresIn(Duration.ofHours(1))));
        tokens.put("not a token", "not-a-jwt");
        return tokens;
    }

    private void expectUnauthenticated(String where, String method, String service, String path, String token, String what,
                                       List<String> failures) throws Exception {
        HttpResponse<String> response = send(method, service, path, token);
        if (response.statusCode() != 401) {
            failures.add(where + " with " + what + ": " + response.statusCode() + " instead of 401");
        } else if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                || !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
            failures.add(where + " with " + what + ": a 401 without problem details or a Bearer challenge");
        }
    }

    private HttpResponse<String> send(String method, String service, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(services.url(service) + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "*/*")
                .header("Content-Type", "application/json")
                .method(method, WITH_BODY.contains(method.toLowerCase(Locale.ROOT))
                        ? HttpRequest.BodyPublishers.ofByteArray(BODY) : HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
