package io.relink.console.client;

import io.relink.console.config.ConsoleConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Forwards the console's API calls to the service they name. The caller's bearer token goes with them unchanged:
 * the services decide what the caller may see and do, the console decides nothing.
 */
@ApplicationScoped
public class ServiceGateway {

    /** Request headers a service needs (and the caller's trace context); cookies and everything else stay here. */
    private static final List<String> FORWARDED_REQUEST = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.ACCEPT, "traceparent", "tracestate");

    /** Answer headers the pages read (downloads are named by Content-Disposition). */
    private static final List<String> FORWARDED_ANSWER = List.of(HttpHeaders.CONTENT_TYPE, "Content-Disposition", HttpHeaders.WWW_AUTHENTICATE);

    private final ConsoleConfig config;
    private final WebClient client;

    public ServiceGateway(ConsoleConfig config, Vertx vertx) {
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setFollowRedirects(false));
    }

    /** A service's answer: status, the forwarded headers, body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * Sends {@code method /api/rawPath?rawQuery} to the named service.
     *
     * @throws UnknownTargetException for a service the console does not know or a path that would leave /api
     */
    public Uni<Answer> forward(String service, HttpMethod method, String rawPath, String rawQuery,
                               Map<String, String> requestHeaders, byte[] body) {
        String base = config.services().get(service);
        if (base == null) {
            throw new UnknownTargetException("Unknown service '" + service + "': use one of " + config.services().keySet());
        }
        requireInsideApi(rawPath);
        String url = base.replaceAll("/+$", "") + "/api/" + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        var request = client.requestAbs(method, url).timeout(config.timeout().toMillis());
        requestHeaders.forEach((name, value) -> {
            if (FORWARDED_REQUEST.stream().anyMatch(name::equalsIgnoreCase)) {
                request.putHeader(name, value);
            }
        });
        Uni<HttpResponse<Buffer>> sent = body == null || body.length == 0 ? request.send() : request.sendBuffer(Buffer.buffer(body));
        return sent.map(response -> {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            FORWARDED_ANSWER.forEach(name -> {
                String value = response.getHeader(name);
                if (value != null) {
                    headers.put(name, value);
                }
            });
            Buffer answer = response.body();
            return new Answer(response.statusCode(), headers, answer == null ? new byte[0] : answer.getBytes());
        });
    }

    /** Every segment, decoded, must be a plain name: no "." or "..", no encoded slash. */
    static void requireInsideApi(String rawPath) {
        for (String segment : rawPath.split("/", -1)) {
            String decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")) {
                throw new UnknownTargetException("The path '" + rawPath + "' is not a plain API path");
            }
        }
    }

    /** The console was asked for something that is not one of the services' APIs. */
    public static class UnknownTargetException extends RuntimeException {
        public UnknownTargetException(String message) {
            super(message);
        }
    }
}
