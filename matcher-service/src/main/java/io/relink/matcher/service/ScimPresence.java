package io.relink.matcher.service;

import io.relink.events.SourceKind;
import io.relink.matcher.IndexedIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the matcher holds any SCIM directory users. Until it does, matching skips the SCIM look-ups (most
 * deployments start without a SCIM source, and every look-up costs a query per event). Remembered once seen;
 * otherwise re-checked now and then, since another replica may have indexed the first one.
 */
@ApplicationScoped
public class ScimPresence {

    private static final Duration RECHECK = Duration.ofSeconds(10);

    private volatile boolean seen;
    private volatile Instant checkedAt = Instant.EPOCH;

    /** Must run inside a session (the consumer's transaction). */
    public Uni<Boolean> known() {
        if (seen || Instant.now().isBefore(checkedAt.plus(RECHECK))) {
            return Uni.createFrom().item(seen);
        }
        return IndexedIdentity.find("sourceKind", SourceKind.SCIM).firstResult().map(found -> {
            checkedAt = Instant.now();
            seen = seen || found != null;
            return seen;
        });
    }

    /** A SCIM identity is being indexed here. */
    public void seen() {
        seen = true;
    }
}
