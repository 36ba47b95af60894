package io.relink.matcher.rest;

import io.relink.matcher.Review;
import io.relink.matcher.ReviewAction;
import io.relink.matcher.service.ReviewService;
import io.relink.support.rest.Actors;
import io.relink.support.rest.InvalidInputException;
import io.relink.support.rest.Roles;
import io.relink.support.rest.SourceNames;
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
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;

@RolesAllowed(Roles.VIEWER)
@Path("/api/reviews/{source}")
@Tag(name = "Review queue")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    private final ReviewService reviews;

    public ReviewResource(ReviewService reviews) {
        this.reviews = reviews;
    }

    /** A decision about one account. */
    public record Decision(String idpUserId, String reason) {
    }

    /** The same decision about several accounts. */
    public record Bulk(List<String> accountIds, String action, String idpUserId, String reason) {
    }

    @GET
    @Operation(summary = "The queue: accounts in REVIEW with their candidates and evidence (state=decided: what people decided)")
    public Uni<List<ReviewService.Item>> list(@PathParam("source") String source,
                                              @QueryParam("state") @DefaultValue("open") String state,
                                              @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
                                              @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10000) int limit) {
        SourceNames.require(source);
        return switch (state) {
            case "open" -> reviews.queue(source, offset, limit);
            case "decided" -> reviews.decided(source, offset, limit);
            default -> throw InvalidInputException.of(null, null, "state", "must be open or decided");
        };
    }

    @GET
    @Path("/{accountId}/history")
    @Operation(summary = "Every decision people made about the account: who, when, what and why")
    public Uni<List<ReviewAction>> history(@PathParam("source") String source, @PathParam("accountId") String accountId) {
        return reviews.history(SourceNames.require(source), accountId);
    }

    @RolesAllowed(Roles.REVIEWER)
    @POST
    @Path("/{accountId}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "approve (the suggested or a named Entra user), reject, or override (another Entra user); a reason is required")
    public Uni<ReviewService.Item> decide(@PathParam("source") String source, @PathParam("accountId") String accountId,
                                         @PathParam("action") String action, Decision decision,
                                         @Context SecurityContext security) {
        Decision body = decision == null ? new Decision(null, null) : decision;
        return reviews.decide(SourceNames.require(source), List.of(new ReviewService.Request(accountId, action(action), body.idpUserId(),
                body.reason())), Actors.of(security)).map(items -> items.get(0));
    }

    @RolesAllowed(Roles.REVIEWER)
    @POST
    @Path("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The same decision for many accounts, all or nothing")
    public Uni<List<ReviewService.Item>> bulk(@PathParam("source") String source, Bulk bulk, @Context SecurityContext security) {
        if (bulk == null || bulk.accountIds() == null || bulk.accountIds().isEmpty()) {
            throw InvalidInputException.of(null, null, "accountIds", "name at least one account");
        }
        Review.Action action = action(bulk.action() == null ? "" : bulk.action());
        return reviews.decide(SourceNames.require(source), bulk.accountIds().stream()
                .map(id -> new ReviewService.Request(id, action, bulk.idpUserId(), bulk.reason())).toList(), Actors.of(security));
    }

    private static Review.Action action(String value) {
        try {
            return Review.Action.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(null, null, "action", "must be approve, reject or override, not '" + value + "'");
        }
    }
}
