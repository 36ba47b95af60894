package io.relink.executor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.relink.events.MatchOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The newest match decision the executor has received for one Atlassian account. */
@Entity
@Table(name = "match_decision")
public class ReceivedDecision extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "atlassian_source", nullable = false)
    public String atlassianSource;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String email;

    @Column(name = "display_name")
    public String displayName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MatchOutcome outcome;

    @Column(name = "idp_user_id")
    public String idpUserId;

    /** JSON list of blockers. */
    @Column(nullable = false, columnDefinition = "text")
    public String flags;

    @Column(name = "current_policy")
    public String currentPolicy;

    @Column(columnDefinition = "text")
    public String reason;

    public long revision;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
