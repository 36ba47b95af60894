package io.relink.matcher.rest;

import io.relink.events.MatchOutcome;
import io.relink.matcher.service.MatchQueryService;
import io.relink.support.rest.InvalidInputException;
import io.relink.support.rest.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;

@RolesAllowed(Roles.VIEWER)
@Path("/api/matches")
@Tag(name = "Match decisions")
public class MatchResource {

    private final MatchQueryService queries;

    public MatchResource(MatchQueryService queries) {
        this.queries = queries;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Current decision per Atlassian account of a source, with evidence and blockers")
    public Uni<List<MatchView>> list(@QueryParam("source") String source, @QueryParam("outcome") String outcome,
                                     @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
                                     @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10000) int limit) {
        requireSource(source);
        return queries.list(source, parseOutcome(outcome), offset, limit)
                .map(list -> list.stream().map(MatchView::of).toList());
    }

    @GET
    @Path("/export")
    @Produces({MatchExport.NDJSON, "text/csv"})
    @Operation(summary = "Every decision of a source as NDJSON (one object per account) or CSV (formula-safe)")
    public Uni<Response> export(@QueryParam("source") String source, @QueryParam("outcome") String outcome,
                                @QueryParam("format") @DefaultValue("ndjson") String format) {
        requireSource(source);
        if (!format.equals("ndjson") && !format.equals("csv")) {
            throw InvalidInputException.of(null, null, "format", "format must be ndjson or csv");
        }
        return queries.list(source, parseOutcome(outcome), 0, Integer.MAX_VALUE)
                .map(list -> list.stream().map(MatchView::of).toList())
                .map(views -> format.equals("csv")
                        ? Response.ok(MatchExport.csv(views), "text/csv")
                                .header("Content-Disposition", "attachment; filename=\"matches-" + source + ".csv\"").build()
                        : Response.ok(MatchExport.ndjson(views), MatchExport.NDJSON).build());
    }

    @GET
    @Path("/summary")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Match report: counts per outcome, per rule and per blocker")
    public Uni<MatchQueryService.MatchReport> summary(@QueryParam("source") String source) {
        requireSource(source);
        return queries.report(source);
    }

    @GET
    @Path("/summary")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> summaryText(@QueryParam("source") String source) {
        return summary(source).map(MatchQueryService.MatchReport::toText);
    }

    static void requireSource(String source) {
        if (source == null || source.isBlank()) {
            throw InvalidInputException.of(null, null, "source", "Query parameter 'source' (the Atlassian source name) is required");
        }
    }

    private static MatchOutcome parseOutcome(String outcome) {
        if (outcome == null || outcome.isBlank()) {
            return null;
        }
        try {
            return MatchOutcome.valueOf(outcome.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(null, null, "outcome", "Unknown outcome '" + outcome + "'; expected one of "
                    + Arrays.toString(MatchOutcome.values()));
        }
    }
}
