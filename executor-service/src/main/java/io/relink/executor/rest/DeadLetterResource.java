package io.relink.executor.rest;

import io.relink.executor.DeadLetter;
import io.relink.executor.service.DeadLetterService;
import io.relink.support.rest.Actors;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

@RolesAllowed(Roles.VIEWER)
@Path("/api/dead-letters")
@Tag(name = "Dead letters")
public class DeadLetterResource {

    private final DeadLetterService deadLetters;

    public DeadLetterResource(DeadLetterService deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Replay criteria; all optional, combined with AND. {@code from}/{@code to} are ISO-8601 instants. */
    public record ReplayRequest(UUID campaignId, String errorClass, String from, String to, String accountId) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Dead letters (open ones unless includeReplayed=true), oldest first")
    public Uni<List<DeadLetter>> list(@QueryParam("campaign") UUID campaignId, @QueryParam("errorClass") String errorClass,
                                      @QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("account") String accountId,
                                      @QueryParam("includeReplayed") @DefaultValue("false") boolean includeReplayed,
                                      @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(100000) int limit) {
        return deadLetters.list(new DeadLetterService.Filter(campaignId, blankToNull(errorClass), instant("from", from),
                instant("to", to), blankToNull(accountId), includeReplayed), limit);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay open dead letters by campaign, error class, time range or single user; attempt counts are kept")
    public Uni<DeadLetterService.ReplayResult> replay(ReplayRequest request, @Context SecurityContext security) {
        if (request == null) {
            throw InvalidInputException.of(null, null, null,
                    "A JSON body is required, e.g. {\"campaignId\": \"…\"} or {\"errorClass\": \"LINK_TIMEOUT\"}");
        }
        return deadLetters.replay(new DeadLetterService.Filter(request.campaignId(), blankToNull(request.errorClass()),
                instant("from", request.from()), instant("to", request.to()), blankToNull(request.accountId()), false),
                Actors.of(security));
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw InvalidInputException.of(null, null, field, "must be an ISO-8601 instant such as 2026-11-28T10:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
