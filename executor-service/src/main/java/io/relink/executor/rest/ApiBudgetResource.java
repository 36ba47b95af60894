package io.relink.executor.rest;

import io.relink.support.client.ApiCalls;
import io.relink.support.rest.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@RolesAllowed(Roles.VIEWER)
@Path("/api/api-budget")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Vendor APIs")
public class ApiBudgetResource {

    private final ApiCalls calls;

    public ApiBudgetResource(ApiCalls calls) {
        this.calls = calls;
    }

    @GET
    @Operation(summary = "Each vendor API's client-side rate limit, the calls sent through it and the calls waiting for it now")
    public List<ApiCalls.Budget> budgets() {
        return calls.budgets();
    }
}
