package io.relink.executor.rest;

import io.relink.executor.service.DecisionService;
import io.relink.support.rest.InvalidInputException;
import io.relink.support.rest.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RolesAllowed(Roles.VIEWER)
@Path("/api/decisions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Received match decisions")
public class DecisionResource {

    private final DecisionService decisions;

    public DecisionResource(DecisionService decisions) {
        this.decisions = decisions;
    }

    @GET
    @Path("/count")
    @Operation(summary = "How many accounts of an Atlassian source the executor has a decision for")
    public Uni<Count> count(@QueryParam("source") String source) {
        if (source == null || source.isBlank()) {
            throw InvalidInputException.of(null, null, "source", "Query parameter 'source' is required");
        }
        return decisions.count(source).map(count -> new Count(source, count));
    }

    public record Count(String source, long count) {
    }
}
