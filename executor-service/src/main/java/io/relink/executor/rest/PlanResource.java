package io.relink.executor.rest;

import io.relink.executor.service.PlanService;
import io.relink.executor.service.PlanView;
import io.relink.support.rest.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@RolesAllowed(Roles.VIEWER)
@Path("/api/plans")
@Tag(name = "Dry-run plans")
public class PlanResource {

    private final PlanService plans;

    public PlanResource(PlanService plans) {
        this.plans = plans;
    }

    public record CreatePlan(String name, String atlassianSource) {
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Build and persist a dry-run plan from the current match decisions of an Atlassian source")
    public Uni<Response> create(CreatePlan request) {
        if (request == null) {
            throw io.relink.support.rest.InvalidInputException.of(null, null, null, "A JSON body {\"atlassianSource\": ...} is required");
        }
        return plans.create(request.name(), request.atlassianSource())
                .map(plan -> Response.created(URI.create("/api/plans/" + plan.id())).entity(plan).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List plans, newest first (without items)")
    public Uni<List<PlanView>> list() {
        return plans.list();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A plan with one page of its items (moves first, then exclusions with reasons)")
    public Uni<PlanView> get(@PathParam("id") UUID id,
                             @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
                             @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10000) int limit) {
        return plans.get(id, offset, limit);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> getText(@PathParam("id") UUID id,
                               @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
                               @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(10000) int limit) {
        return plans.get(id, offset, limit).map(PlanView::toText);
    }
}
