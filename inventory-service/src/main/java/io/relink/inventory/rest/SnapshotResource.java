package io.relink.inventory.rest;

import io.relink.inventory.service.IngestService;
import io.relink.inventory.service.SnapshotDiff;
import io.relink.inventory.service.SnapshotReport;
import io.relink.support.rest.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@RolesAllowed(Roles.VIEWER)
@Path("/api/snapshots")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sources and snapshots")
public class SnapshotResource {

    private final IngestService ingest;

    public SnapshotResource(IngestService ingest) {
        this.ingest = ingest;
    }

    @GET
    @Path("/{id}/diff")
    @Operation(summary = "What changed between two snapshots of a source (default: against the version it was diffed against)")
    public Uni<SnapshotDiff> diff(@PathParam("id") UUID id, @QueryParam("against") UUID against,
                                  @QueryParam("limit") @DefaultValue("100") @Min(0) @Max(10000) int limit) {
        return ingest.diff(id, against, limit);
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/{id}/confirm")
    @Operation(summary = "Apply a snapshot the truncated-export guard held (the export was complete after all)")
    public Uni<SnapshotReport> confirm(@PathParam("id") UUID id) {
        return ingest.confirm(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/reject")
    @Operation(summary = "Discard a snapshot the truncated-export guard held; nothing is published")
    public Uni<SnapshotReport> reject(@PathParam("id") UUID id) {
        return ingest.reject(id);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Snapshot report: counts, diff against the previous version, duplicate rows")
    public Uni<SnapshotReport> report(@PathParam("id") UUID id) {
        return ingest.report(id);
    }
}
