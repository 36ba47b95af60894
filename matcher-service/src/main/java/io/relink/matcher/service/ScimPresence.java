package io.relink.matcher.service;

import io.relink.events.SourceKind;
import io.relink.matcher.IndexedIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;


/**
 * Whether the matcher holds any SCIM directory users. Until it does, matching skips the SCIM look-ups (most
 * deployments start without a SCIM source, and every look-up costs a query per batch). Remembered once seen;
 * otherwise asked of the database on every batch (one index probe), since another replica may have indexed the first
 * one: a batch that skipped SCIM evidence another replica had committed would decide accounts without it.
 */
@ApplicationScoped
public class ScimPresence {

    private volatile boolean seen;

    /** Must run inside the transaction that matches, after {@code lockForMatching}. */
    public Uni<Boolean> known() {
        if (seen) {
            return Uni.createFrom().item(true);
        }
        return IndexedIdentity.find("sourceKind", SourceKind.SCIM).firstResult().map(found -> {
            seen = seen || found != null;
            return seen;
        });
    }

    /** A SCIM identity is being indexed here. */
    public void seen() {
        seen = true;
    }
}
