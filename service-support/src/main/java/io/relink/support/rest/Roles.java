package io.relink.support.rest;

/**
 * The roles every endpoint is guarded by (README, "Authentication and roles"). A token's roles come from its
 * {@code groups} claim ({@code RELINK_JWT_ROLES_CLAIM}, e.g. {@code roles} for Entra ID app roles); a higher role
 * brings the lower ones with it through {@code quarkus.http.auth.roles-mapping}: admin → operator, reviewer, viewer;
 * operator → viewer; reviewer → viewer. Operators run migrations, reviewers decide matches: neither does the other's work.
 */
public final class Roles {

    /** Reads everything: snapshots, matches, campaigns, reports, the audit trail. */
    public static final String VIEWER = "viewer";
    /** Decides matches in the review queue (approve, reject, override). */
    public static final String REVIEWER = "reviewer";
    /**
     * Loads snapshots and runs pulls, rejects a held snapshot, runs campaigns (create, plan, start, pause, resume,
     * abort, rollback, approve late accounts) and replays dead letters.
     */
    public static final String OPERATOR = "operator";
    /** All of the above, and what overrides a safety guard: confirming a snapshot held as a likely truncation. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
