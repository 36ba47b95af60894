package io.relink.executor.rest;

import io.relink.executor.service.AuditExport;
import io.relink.executor.service.CampaignReport;
import io.relink.executor.service.CampaignService;
import io.relink.executor.service.CampaignView;
import io.relink.executor.service.ContinuousIntake;
import io.relink.support.rest.Actors;
import io.relink.support.rest.Exports;
import io.relink.support.rest.InvalidInputException;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@RolesAllowed(Roles.VIEWER)
@Path("/api/campaigns")
@Tag(name = "Campaigns")
public class CampaignResource {

    private final CampaignService campaigns;
    private final AuditExport audit;
    private final ContinuousIntake intake;
    private final CampaignReport report;

    public CampaignResource(CampaignService campaigns, AuditExport audit, ContinuousIntake intake, CampaignReport report) {
        this.report = report;
        this.intake = intake;
        this.campaigns = campaigns;
        this.audit = audit;
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a campaign (DRAFT) for an Atlassian source; unset options take the configured defaults")
    public Uni<Response> create(CampaignService.NewCampaign request, @Context SecurityContext security) {
        if (request == null) {
            throw InvalidInputException.of(null, null, null, "A JSON body {\"atlassianSource\": ...} is required");
        }
        return campaigns.create(request, Actors.of(security))
                .map(view -> Response.created(URI.create("/api/campaigns/" + view.id())).entity(view).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List campaigns, newest first")
    public Uni<List<CampaignView>> list() {
        return campaigns.list();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "State, counts per user state and per wave, throughput, ETA and the projected duration")
    public Uni<CampaignView> status(@PathParam("id") UUID id) {
        return campaigns.status(id);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> statusText(@PathParam("id") UUID id) {
        return campaigns.status(id).map(CampaignView::toText);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/plan")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Dry run: assign waves, list every user's API calls or why excluded, project the duration. Calls nothing.")
    public Uni<CampaignView> plan(@PathParam("id") UUID id, @Context SecurityContext security) {
        return campaigns.plan(id, Actors.of(security));
    }

    @GET
    @Path("/{id}/users")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One page of the campaign's users: state, wave, reason, and the exact calls each move makes")
    public Uni<List<CampaignView.User>> users(@PathParam("id") UUID id,
                                              @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
                                              @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10000) int limit) {
        return campaigns.users(id, offset, limit);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/start")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a planned campaign: the canary wave first")
    public Uni<CampaignView> start(@PathParam("id") UUID id, @Context SecurityContext security) {
        return campaigns.start(id, Actors.of(security));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/pause")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pause: calls already sent finish, nothing new starts")
    public Uni<CampaignView> pause(@PathParam("id") UUID id, @Context SecurityContext security) {
        return campaigns.pause(id, Actors.of(security));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/resume")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resume a paused or halted campaign (resuming a halted one accepts the wave's breach)")
    public Uni<CampaignView> resume(@PathParam("id") UUID id, @Context SecurityContext security) {
        return campaigns.resume(id, Actors.of(security));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/abort")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Abort for good; moved users stay moved until rolled back")
    public Uni<CampaignView> abort(@PathParam("id") UUID id, @Context SecurityContext security) {
        return campaigns.abort(id, Actors.of(security));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/rollback")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Roll back one wave (?wave=N) or the whole campaign: original policies back, added scope memberships removed")
    public Uni<CampaignView> rollback(@PathParam("id") UUID id, @QueryParam("wave") Integer wave,
                                      @Context SecurityContext security) {
        return campaigns.rollback(id, wave, Actors.of(security));
    }

    /** Which waiting users to approve; an empty list (or no body) approves all of them. */
    public record Approval(List<String> accountIds) {
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/approve")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Continuous campaigns: approve accounts matched after planning (by account id or email; none = all)")
    public Uni<Map<String, Integer>> approve(@PathParam("id") UUID id, Approval approval, @Context SecurityContext security) {
        return intake.approve(id, approval == null ? List.of() : approval.accountIds(), Actors.of(security))
                .map(count -> Map.of("approved", count));
    }

    @GET
    @Path("/{id}/report")
    @Produces({MediaType.TEXT_HTML, Exports.CSV})
    @Operation(summary = "The campaign report for the change ticket: HTML (summary, outcome per wave, timeline) or per-user CSV")
    public Uni<Response> report(@PathParam("id") UUID id, @QueryParam("format") @DefaultValue("html") String format) {
        if (!format.equals("html") && !format.equals("csv")) {
            throw InvalidInputException.of(null, null, "format", "format must be html or csv");
        }
        return format.equals("csv")
                ? report.csv(id).map(csv -> Response.ok(csv, Exports.CSV)
                .header("Content-Disposition", "attachment; filename=\"campaign-" + id + ".csv\"").build())
                : report.html(id).map(html -> Response.ok(html, MediaType.TEXT_HTML).build());
    }

    @GET
    @Path("/{id}/audit")
    @Produces({Exports.NDJSON, Exports.CSV})
    @Operation(summary = "The campaign's audit trail: every decision and API call, as NDJSON or CSV")
    public Uni<Response> audit(@PathParam("id") UUID id, @QueryParam("format") @DefaultValue("ndjson") String format) {
        if (!format.equals("ndjson") && !format.equals("csv")) {
            throw InvalidInputException.of(null, null, "format", "format must be ndjson or csv");
        }
        return audit.entries(id).map(entries -> format.equals("csv")
                ? Response.ok(AuditExport.csv(entries), Exports.CSV)
                .header("Content-Disposition", "attachment; filename=\"audit-" + id + ".csv\"").build()
                : Response.ok(AuditExport.ndjson(entries), Exports.NDJSON).build());
    }
}
