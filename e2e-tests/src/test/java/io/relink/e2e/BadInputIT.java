package io.relink.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus, driven by each service's own OpenAPI document so that a new endpoint is covered the day it
 * is added: every operation that takes a JSON body is sent malformed JSON, wrong types, unknown enum values, invalid
 * UTF-8 and an oversized body; every operation with path parameters is sent path traversal, SQL metacharacters and
 * overlong values in them. Each must answer 4xx with RFC 9457 problem details ({@code application/problem+json} with
 * its status and a title), and no row of any service's tables may change.
 */
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");
    private static final Map<String, byte[]> BODIES = new LinkedHashMap<>();
    private static final List<String> PATH_VALUES = List.of("../../../etc/passwd", "'; drop table match_decision; --",
            "x".repeat(1000), "%00", "\u202Eevil");

    static {
        BODIES.put("malformed JSON", "{\"accountId\": ".getBytes(StandardCharsets.UTF_8));
        BODIES.put("a list instead of an object", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
        BODIES.put("a string instead of an object", "\"text\"".getBytes(StandardCharsets.UTF_8));
        BODIES.put("wrong field types", ("{\"atlassianSource\": 5, \"canarySize\": \"five\", \"waveSize\": [], "
                + "\"decisions\": \"all\", \"reason\": {}}").getBytes(StandardCharsets.UTF_8));
        BODIES.put("unknown enum values", ("{\"action\": \"DESTROY\", \"outcome\": \"MAYBE\", \"decisions\": "
                + "[{\"accountId\": \"a\", \"action\": \"DESTROY\", \"reason\": \"r\"}]}").getBytes(StandardCharsets.UTF_8));
        BODIES.put("invalid UTF-8", new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'});
        BODIES.put("an oversized unterminated body", ("[" + "1234567890,".repeat(1_200_000)).getBytes(StandardCharsets.UTF_8));
    }

    /** Bad input from somebody allowed to do everything: refused for what it is, not for who sent it. */
    private static final String ADMIN = TestTokens.token(TestTokens.TEST_ADMIN, "admin");
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
    void everyOperationRefusesBadInputWithProblemDetailsAndChangesNothing() throws Exception {
        Map<String, Long> before = RunningServices.rowCounts();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (String service : RunningServices.SERVICES) {
            JsonNode paths = services.openApi(service).path("paths");
            assertThat(paths.size()).as("operations of %s", service).isPositive();
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> operation = ops.next();
                    String method = operation.getKey();
                    boolean jsonBody = operation.getValue().path("requestBody").path("content").has("application/json");
                    if (WITH_BODY.contains(method) && jsonBody) {
                        for (Map.Entry<String, byte[]> body : BODIES.entrySet()) {
                            requests++;
                            check(service, method, fill(path.getKey(), "x1"), body.getValue(), body.getKey(), failures);
                        }
                    }
                    if (path.getKey().contains("{")) {
                        for (String value : PATH_VALUES) {
                            requests++;
                            check(service, method, fill(path.getKey(), URLEncoder.encode(value, StandardCharsets.UTF_8)),
                                    WITH_BODY.contains(method) ? "{}".getBytes(StandardCharsets.UTF_8) : null,
                                    "path parameter " + value.substring(0, Math.min(value.length(), 30)), failures);
                        }
                    }
                }
            }
        }
        assertThat(requests).as("requests sent").isGreaterThan(100);
        assertThat(failures).as("answers that were not a 4xx with problem details").isEmpty();
        assertThat(RunningServices.rowCounts()).as("rows per table after the corpus").isEqualTo(before);
    }

    private void check(String service, String method, String path, byte[] body, String what, List<String> failures) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(services.url(service) + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Authorization", "Bearer " + ADMIN);
        if (body == null) {
            request.method(method.toUpperCase(java.util.Locale.ROOT), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method.toUpperCase(java.util.Locale.ROOT), HttpRequest.BodyPublishers.ofByteArray(body));
        }
        String where = service + " " + method.toUpperCase(java.util.Locale.ROOT) + " " + abbreviate(path) + " with " + what;
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            failures.add(where + ": no answer (" + e.getMessage() + ")");
            return;
        }
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status < 400 || status >= 500) {
            failures.add(where + ": " + status + " " + abbreviate(response.body()));
            return;
        }
        if (!type.startsWith("application/problem+json")) {
            failures.add(where + ": " + status + " as " + type + ": " + abbreviate(response.body()));
            return;
        }
        JsonNode problem = JSON.readTree(response.body());
        if (problem.path("status").asInt() != status || problem.path("title").asText().isBlank()) {
            failures.add(where + ": problem without its status or title: " + abbreviate(response.body()));
        }
    }

    private static String fill(String template, String value) {
        return template.replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(value));
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "…";
    }
}
