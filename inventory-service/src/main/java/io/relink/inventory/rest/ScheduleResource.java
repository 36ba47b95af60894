package io.relink.inventory.rest;

import io.relink.inventory.service.PullScheduler;
import io.relink.support.rest.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

@RolesAllowed(Roles.VIEWER)
@Path("/api/schedules")
@Tag(name = "Scheduled pulls")
public class ScheduleResource {

    private final PullScheduler scheduler;

    public ScheduleResource(PullScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The configured scheduled pulls (relink.inventory.schedules.*) and how each last ran")
    public List<Map<String, Object>> list() {
        return scheduler.status();
    }
}
