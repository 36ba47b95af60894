package io.relink.support.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/** Turns every error a client can cause into RFC 9457 problem details; hides internals on 5xx. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final URI INVALID_INPUT = URI.create("https://relink.io/problems/invalid-input");

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return respond(new Problem(INVALID_INPUT, "Invalid input", e.status(), e.getMessage(), uri.getPath(), e.errors()));
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
