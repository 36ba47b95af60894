package io.relink.events;

public enum MatchOutcome {
    /** One unique candidate above the definite threshold. */
    MATCHED,
    /** Ambiguous, or only evidence-level candidates: a person must decide. */
    REVIEW,
    NO_MATCH,
    /** Already IdP-managed or already on the target policy: nothing to move. */
    ALREADY_LINKED,
    /** Out of scope, e.g. a deactivated account. */
    SKIPPED
}
