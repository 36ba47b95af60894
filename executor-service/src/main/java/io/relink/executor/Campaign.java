package io.relink.executor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import java.time.Instant;
import java.util.UUID;

/** A named set of approved matches moved to one target policy, wave by wave. */
@Entity
public class Campaign extends PanacheEntityBase {

    public enum State {
        DRAFT, PLANNED, RUNNING, PAUSED, HALTED, COMPLETED, ROLLING_BACK, ROLLED_BACK, ABORTED
    }

    public enum ScopeKind {
        /** Members of an Entra group that is assigned to the Atlassian enterprise app. */
        GROUP,
        /** Direct app-role assignments on the app's service principal. */
        APP_ROLE
    }

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "atlassian_source", nullable = false)
    public String atlassianSource;

    @Column(name = "target_policy_id", nullable = false)
    public String targetPolicyId;

    @Column(name = "target_policy_name", nullable = false)
    public String targetPolicyName;

    @Enumerated(EnumType.STRING)
    @Column(name = "scope_kind", nullable = false)
    public ScopeKind scopeKind;

    @Column(name = "scope_id", nullable = false)
    public String scopeId;

    @Column(name = "app_role_id")
    public String appRoleId;

    @Column(name = "canary_size", nullable = false)
    public int canarySize;

    @Column(name = "wave_size", nullable = false)
    public int waveSize;

    @Column(name = "max_failure_rate", nullable = false)
    public double maxFailureRate;

    @Column(name = "max_wave_seconds", nullable = false)
    public long maxWaveSeconds;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "state_reason", columnDefinition = "text")
    public String stateReason;

    public int waves;
    public int moves;
    public int excluded;

    /** Stays open after its waves and takes newly matched accounts as they arrive. */
    public boolean continuous;

    /** Continuous campaigns only: newly matched accounts join the next wave without an operator's approval. */
    @Column(name = "auto_approve")
    public boolean autoApprove;

    @Column(name = "projected_seconds")
    public Long projectedSeconds;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;
}
