package io.relink.inventory.rest;

import io.relink.inventory.SnapshotStatus;
import io.relink.inventory.Source;
import io.relink.inventory.client.Connections;
import io.relink.inventory.service.IngestService;
import io.relink.inventory.service.PullService;
import io.relink.inventory.service.SnapshotReport;
import io.relink.inventory.service.SourceFormat;
import io.relink.support.rest.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.File;
import java.net.URI;
import java.util.List;

@RolesAllowed(Roles.VIEWER)
@Path("/api/sources")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sources and snapshots")
public class SourceResource {

    private final IngestService ingest;
    private final PullService pulls;
    private final Connections connections;

    public SourceResource(IngestService ingest, PullService pulls, Connections connections) {
        this.ingest = ingest;
        this.pulls = pulls;
        this.connections = connections;
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{source}/snapshots")
    @Consumes({"text/csv", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a directory export as the next snapshot of a source",
            description = "The body is the file itself. Refused uploads answer 4xx problem details naming file, line and field, and change nothing.")
    public Uni<Response> upload(@PathParam("source") String source,
                                @Parameter(description = "atlassian-csv, atlassian-json, graph-json, entra-csv, scim-json or csv (with mapping)") @QueryParam("format") String format,
                                @HeaderParam("X-File-Name") String fileName,
                                @Parameter(description = "format csv only: the column mapping, JSON (see README)")
                                @QueryParam("mapping") String mapping,
                                File body) {
        SourceFormat sourceFormat = SourceFormat.fromId(format == null ? "" : format, true, "format");
        String name = fileName == null || fileName.isBlank() ? "upload." + (sourceFormat.id().endsWith("csv") ? "csv" : "json") : fileName;
        return ingest.ingest(source, sourceFormat, body.toPath(), name, mapping).map(SourceResource::created);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{source}/pulls")
    @Operation(summary = "Pull the next snapshot of a source from a vendor API",
            description = "Uses the default connection (relink.clients.*) or a named one (relink.inventory.connections.<name>.*). "
                    + "Rate limits and transient errors are retried; a pull that cannot complete changes nothing.")
    public Uni<Response> pull(@PathParam("source") String source,
                              @Parameter(description = "atlassian-api, scim-api, graph-api or graph-delta") @QueryParam("from") String from,
                              @Parameter(description = "a configured connection name (default: the default connection)")
                              @QueryParam("connection") @DefaultValue(Connections.DEFAULT) String connection) {
        SourceFormat origin = SourceFormat.fromId(from == null ? "" : from, false, "from");
        return pulls.pull(source, origin, connection).map(SourceResource::created);
    }

    @GET
    @Path("/connections")
    @Operation(summary = "The vendor connections pulls can name (credentials are never shown)")
    public List<String> connections() {
        return connections.names();
    }

    /** 201 for an applied snapshot; 202 for one the truncated-export guard holds for confirmation. */
    static Response created(SnapshotReport report) {
        URI location = URI.create("/api/snapshots/" + report.id());
        return report.status() == SnapshotStatus.APPLIED
                ? Response.created(location).entity(report).build()
                : Response.accepted(report).location(location).build();
    }

    @GET
    @Operation(summary = "List sources")
    public Uni<List<Source>> list() {
        return ingest.listSources();
    }

    @GET
    @Path("/{source}/snapshots")
    @Operation(summary = "List the snapshots of a source, newest first")
    public Uni<List<SnapshotReport>> snapshots(@PathParam("source") String source) {
        return ingest.listSnapshots(source);
    }
}
