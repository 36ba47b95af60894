package io.relink.support.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;

/** Turns every error a client can cause into RFC 9457 problem details; hides internals on 5xx. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final URI INVALID_INPUT = URI.create("https://relink.io/problems/invalid-input");
    private static final URI UNAUTHENTICATED = URI.create("https://relink.io/problems/unauthenticated");
    private static final URI FORBIDDEN = URI.create("https://relink.io/problems/forbidden");

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return respond(new Problem(INVALID_INPUT, "Invalid input", e.status(), e.getMessage(), uri.getPath(), e.errors()));
    }

    /**
     * A request body that is not the JSON the operation takes: malformed, invalid UTF-8, a wrong type, an unknown
     * enum value. Says where: the line and column, and the field's path ({@code decisions[0].action}).
     */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String field = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            field = path.toString();
        }
        JsonLocation location = e.getLocation();
        Long line = location == null || location.getLineNr() < 1 ? null : (long) location.getLineNr();
        String reason = e.getOriginalMessage().lines().findFirst().orElse("unreadable")
                + (location == null || location.getColumnNr() < 1 ? "" : " (column " + location.getColumnNr() + ")");
        return respond(new Problem(INVALID_INPUT, "Invalid input", 400, "The request body is not valid JSON for this operation: "
                + reason, uri.getPath(), List.of(new Problem.InputError(null, line, field, reason))));
    }

    /** Wrong types, unknown fields and enum values: the framework's own mapper would answer 400 without a body. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    /** No token, or one that is expired, forged, for another audience or from another issuer. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri, HttpHeaders headers) {
        String detail = headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null
                ? "Send a bearer token (Authorization: Bearer …) from the identity provider, or on the local stack from ./relink token"
                : "The bearer token was refused: expired, signed by a key this service does not trust, or issued by another "
                + "issuer or for another audience than it expects (RELINK_JWT_ISSUER, RELINK_JWT_AUDIENCE)";
        Problem problem = new Problem(UNAUTHENTICATED, "Unauthenticated", 401, detail, uri.getPath(), null);
        return Response.fromResponse(respond(problem)).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"relink\"").build();
    }

    /** A valid token without the role the operation needs: says which role, and who asked. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, ResourceInfo resource, ContainerRequestContext request) {
        SecurityContext security = request.getSecurityContext();
        String caller = security == null || security.getUserPrincipal() == null ? "the caller" : security.getUserPrincipal().getName();
        List<String> roles = rolesAllowed(resource);
        return respond(new Problem(FORBIDDEN, "Forbidden", 403, caller + " may not do this: it needs the role "
                + String.join(" or ", roles) + (roles.contains(Roles.ADMIN) ? "" : " (or admin)"), uri.getPath(), null));
    }

    private static List<String> rolesAllowed(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        RolesAllowed allowed = method == null ? null : method.getAnnotation(RolesAllowed.class);
        if (allowed == null && resource != null && resource.getResourceClass() != null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? List.of(Roles.ADMIN) : List.of(allowed.value());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(new Problem(URI.create("about:blank"), title, status, e.getMessage(), uri.getPath(), null));
    }

    private static Response respond(Problem problem) {
        if (problem.status() >= 500) {
            LOG.errorf("%s answered %d: %s", problem.instance(), problem.status(), problem.detail());
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
