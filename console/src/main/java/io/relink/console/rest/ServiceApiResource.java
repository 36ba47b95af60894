package io.relink.console.rest;

import io.relink.console.client.ServiceGateway;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code /api/{service}/…}: the services' REST APIs under the console's own origin, so the pages need no CORS and
 * one address. The services check every call's token; this resource only forwards.
 */
@Path("/api/{service}")
public class ServiceApiResource {

    private static final Logger LOG = Logger.getLogger(ServiceApiResource.class);
    private static final String PROBLEM = "application/problem+json";

    private final ServiceGateway gateway;

    public ServiceApiResource(ServiceGateway gateway) {
        this.gateway = gateway;
    }

    @GET
    @Path("/{path: .*}")
    public Uni<Response> get(@PathParam("service") String service, @Encoded @PathParam("path") String path,
                             @Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(service, HttpMethod.GET, path, uri, headers, null);
    }

    @POST
    @Path("/{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> post(@PathParam("service") String service, @Encoded @PathParam("path") String path,
                              @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return forward(service, HttpMethod.POST, path, uri, headers, body);
    }

    private Uni<Response> forward(String service, HttpMethod method, String path, UriInfo uri, HttpHeaders headers, byte[] body) {
        Map<String, String> requestHeaders = new HashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> requestHeaders.put(name, String.join(",", values)));
        try {
            return gateway.forward(service, method, path, uri.getRequestUri().getRawQuery(), requestHeaders, body)
                    .map(answer -> {
                        Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body());
                        answer.headers().forEach(response::header);
                        return response.build();
                    })
                    .onFailure().recoverWithItem(failure -> {
                        LOG.warnf("%s %s/%s failed: %s", method, service, path, failure.toString());
                        return problem(Response.Status.BAD_GATEWAY, "The " + service + " service is unreachable",
                                "The console could not reach it: " + failure.getMessage());
                    });
        } catch (ServiceGateway.UnknownTargetException e) {
            return Uni.createFrom().item(problem(Response.Status.NOT_FOUND, "No such API", e.getMessage()));
        }
    }

    /** An RFC 9457 problem, as the services answer theirs. */
    private static Response problem(Response.Status status, String title, String detail) {
        String body = new JsonObject().put("type", "about:blank").put("status", status.getStatusCode())
                .put("title", title).put("detail", detail).encode();
        return Response.status(status).type(PROBLEM).entity(body).build();
    }
}
