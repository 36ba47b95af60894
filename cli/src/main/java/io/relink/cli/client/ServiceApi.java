package io.relink.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One of the services' REST APIs, as the CLI calls it: the base URL from RELINK_{NAME}_URL (or the local stack's port),
 * the caller's bearer token from RELINK_TOKEN (./relink signs one for the local stack), problem details turned into
 * readable errors with file, line and field.
 */
public final class ServiceApi {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30); // a million-row upload takes a while

    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("inventory", 8081, "matcher", 8082, "executor", 8083);

    private final String name;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    private ServiceApi(String name, String baseUrl) {
        this.name = name;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public static ServiceApi inventory() {
        return of("inventory");
    }

    public static ServiceApi matcher() {
        return of("matcher");
    }

    public static ServiceApi executor() {
        return of("executor");
    }

    private static ServiceApi of(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String url = setting("RELINK_" + upper + "_URL");
        if (url == null || url.isBlank()) {
            String port = setting("RELINK_" + upper + "_PORT");
            url = "http://127.0.0.1:" + (port == null || port.isBlank() ? DEFAULT_PORTS.get(name) : port);
        }
        return new ServiceApi(name, url);
    }

    /** A query string from name/value pairs; null values are left out. */
    public static String query(Object... pairs) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                query.add(pairs[i] + "=" + URLEncoder.encode(String.valueOf(pairs[i + 1]), StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }

    /** A path segment, encoded (a source may be called "acme corp/eu"). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An answer: status, its content type and body. */
    public record Answer(int status, String contentType, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliFailure(CliFailure.FAILED, "relink: the service answered something that is not JSON: " + e.getMessage());
            }
        }
    }

    public Answer get(String path, String accept) {
        return send(request(path).header("Accept", accept).GET(), false);
    }

    public JsonNode getJson(String path) {
        return get(path, "application/json").json();
    }

    public JsonNode postJson(String path, Object body) {
        return send(request(path).header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : write(body))), false).json();
    }

    /** Sends and returns the answer whatever its status (callers that treat some refusals as results). */
    public Answer exchange(HttpRequest.Builder request) {
        return send(request, true);
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token());
    }

    private Answer send(HttpRequest.Builder request, boolean anyStatus) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new CliFailure(CliFailure.FAILED, "relink: " + name + "-service does not answer at " + baseUrl
                    + " (start it with ./relink up)");
        } catch (IOException e) {
            throw new CliFailure(CliFailure.FAILED, "relink: " + name + "-service at " + baseUrl + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.FAILED, "relink: interrupted");
        }
        Answer answer = new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        if (!anyStatus && answer.status() >= 400) {
            throw refused(answer, null);
        }
        return answer;
    }

    /**
     * The problem details of a refusal as lines a person reads: "refused (400): detail", then one line per input
     * error, "file:line [field]: reason" ({@code file} when the problem names none).
     */
    public static CliFailure refused(Answer answer, String file) {
        StringBuilder text = new StringBuilder("relink: refused (" + answer.status() + ")");
        try {
            JsonNode problem = JSON.readTree(answer.body());
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            text.append(": ").append(detail);
            for (JsonNode error : problem.path("errors")) {
                String where = error.path("file").asText(file == null ? "" : file);
                if (error.hasNonNull("line")) {
                    where += ":" + error.path("line").asLong();
                }
                if (error.hasNonNull("field")) {
                    where += (where.isEmpty() ? "" : " ") + "[" + error.path("field").asText() + "]";
                }
                text.append(System.lineSeparator()).append("relink:   ").append(where.isEmpty() ? "" : where + ": ")
                        .append(error.path("reason").asText());
            }
        } catch (IOException notAProblem) {
            text.append(": ").append(answer.body());
        }
        return new CliFailure(CliFailure.FAILED, text.toString());
    }

    private static String token() {
        String token = setting("RELINK_TOKEN");
        if (token == null || token.isBlank()) {
            throw new CliFailure(CliFailure.FAILED, "relink: no bearer token: set RELINK_TOKEN (a token from your identity "
                    + "provider), or start the local stack with ./relink up (its commands then sign their own)");
        }
        return token.strip();
    }

    /** An environment variable, or the system property of that name (how tests and embedding callers set them). */
    static String setting(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON object from name/value pairs, leaving out null values (what the services' request bodies take). */
    public static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                body.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return body;
    }
}
