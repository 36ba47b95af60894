package io.relink.matcher;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A person's standing decision about one Atlassian account. It is applied on every re-decision while the rules'
 * verdict still has the {@link #fingerprint} the person saw; when the evidence changes it goes stale and the account
 * returns to review.
 */
@Entity
@Table(name = "review")
public class Review extends PanacheEntityBase {

    public enum Action {
        /** Confirm the suggested (or a named) Entra user. */
        APPROVE,
        /** Never match this account automatically. */
        REJECT,
        /** Match it to another Entra user than the rules suggested. */
        OVERRIDE
    }

    @Id
    public String id;

    @Column(name = "atlassian_source", nullable = false)
    public String atlassianSource;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Action action;

    @Column(name = "idp_user_key")
    public String idpUserKey;

    @Column(name = "idp_user_id")
    public String idpUserId;

    @Column(nullable = false)
    public String fingerprint;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false, columnDefinition = "text")
    public String reason;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    @Column(name = "stale_since")
    public Instant staleSince;

    @Column(name = "stale_reason", columnDefinition = "text")
    public String staleReason;
}
