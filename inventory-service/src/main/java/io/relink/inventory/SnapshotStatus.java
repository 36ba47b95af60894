package io.relink.inventory;

public enum SnapshotStatus {
    /** Persisted and published: the source's current version. */
    APPLIED,
    /** Held by the truncated-export guard: persisted, nothing published, waiting for a person. */
    PENDING_CONFIRMATION,
    /** Held, then rejected by a person; never published. */
    REJECTED
}
