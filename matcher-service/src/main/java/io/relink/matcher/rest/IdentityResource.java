package io.relink.matcher.rest;

import io.relink.matcher.service.MatchQueryService;
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
@Path("/api/identities")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Identity index")
public class IdentityResource {

    private final MatchQueryService queries;

    public IdentityResource(MatchQueryService queries) {
        this.queries = queries;
    }

    @GET
    @Path("/count")
    @Operation(summary = "How many identities of a source the matcher has indexed")
    public Uni<Count> count(@QueryParam("source") String source) {
        MatchResource.requireSource(source);
        return queries.identityCount(source).map(count -> new Count(source, count));
    }

    public record Count(String source, long count) {
    }
}
