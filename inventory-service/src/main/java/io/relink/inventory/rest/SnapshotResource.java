package io.relink.inventory.rest;

import io.relink.inventory.service.IngestService;
import io.relink.inventory.service.SnapshotReport;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/api/snapshots")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sources and snapshots")
public class SnapshotResource {

    private final IngestService ingest;

    public SnapshotResource(IngestService ingest) {
        this.ingest = ingest;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Snapshot report: counts, diff against the previous version, duplicate rows")
    public Uni<SnapshotReport> report(@PathParam("id") UUID id) {
        return ingest.report(id);
    }
}
