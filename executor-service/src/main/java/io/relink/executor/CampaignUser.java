package io.relink.executor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One account in a campaign and where its move stands. The state is committed before and after every external
 * call, so a restart knows exactly which call may have been made without its answer being recorded.
 */
@Entity
@Table(name = "campaign_user")
public class CampaignUser extends PanacheEntityBase {

    /** The move's state machine. *_IN_FLIGHT states mean "the call may have been sent": recovery checks, never repeats blindly. */
    public enum State {
        /** Not part of the moves (blocked, in review, no match, ...); {@code reason} says why. */
        EXCLUDED(Step.NONE),
        /** Joined a continuous campaign after it was planned; waits for an operator's approval. */
        AWAITING_APPROVAL(Step.NONE),
        /** Waiting for its wave; the current policy is read first. */
        PENDING(Step.PRECHECK),
        /** Original policy recorded; next: add to the Entra scope. */
        READY(Step.ADD_TO_SCOPE),
        SCOPE_IN_FLIGHT(Step.ADD_TO_SCOPE),
        /** In the app's scope; waiting for Entra provisioning to link the account through SCIM. */
        SCOPED(Step.WAIT_FOR_LINK),
        /** Linked; next: add to the target policy. */
        LINKED(Step.ADD_TO_POLICY),
        POLICY_IN_FLIGHT(Step.ADD_TO_POLICY),
        /** add-users accepted; waiting for its task. */
        POLICY_REQUESTED(Step.ADD_TO_POLICY),
        MOVED(Step.NONE),
        /** Already on the target policy when its wave started: nothing to do. */
        SKIPPED(Step.NONE),
        /** A step failed after its retries; the user is in the dead letters. */
        FAILED(Step.NONE),
        ROLLBACK_PENDING(Step.ROLLBACK),
        ROLLED_BACK(Step.NONE),
        ROLLBACK_FAILED(Step.NONE);

        public final Step step;

        State(Step step) {
            this.step = step;
        }

        public boolean done() {
            return this == MOVED || this == SKIPPED || this == FAILED || this == EXCLUDED
                    || this == ROLLED_BACK || this == ROLLBACK_FAILED;
        }
    }

    /** The step a state belongs to, as dead letters and the audit trail name it. */
    public enum Step {
        NONE, PRECHECK, ADD_TO_SCOPE, WAIT_FOR_LINK, ADD_TO_POLICY, ROLLBACK;

        /** Where a replayed user starts again. */
        public State resumeState() {
            return switch (this) {
                case PRECHECK -> State.PENDING;
                case ADD_TO_SCOPE -> State.READY;
                case WAIT_FOR_LINK -> State.SCOPED;
                case ADD_TO_POLICY -> State.LINKED;
                case ROLLBACK -> State.ROLLBACK_PENDING;
                case NONE -> throw new IllegalStateException("nothing to replay");
            };
        }
    }

    @Id
    public UUID id;

    @Column(name = "campaign_id", nullable = false)
    public UUID campaignId;

    @Column(nullable = false)
    public int position;

    public Integer wave;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String email;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "idp_user_id")
    public String idpUserId;

    @Column(name = "planned_from_policy")
    public String plannedFromPolicy;

    @Column(name = "original_policy_id")
    public String originalPolicyId;

    @Column(name = "original_policy_name")
    public String originalPolicyName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(nullable = false)
    public String category;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "scope_added")
    public Boolean scopeAdded;

    @Column(name = "scope_ref")
    public String scopeRef;

    /** Set when a rollback is requested for a user whose policy was changed. */
    @Column(name = "restore_policy", nullable = false)
    public boolean restorePolicy;

    @Column(name = "policy_task_id")
    public String policyTaskId;

    public int attempts;

    @Column(name = "link_checks")
    public int linkChecks;

    @Column(name = "next_check_at")
    public Instant nextCheckAt;

    @Column(name = "step_started_at")
    public Instant stepStartedAt;

    @Column(name = "error_class")
    public String errorClass;

    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;

    @Column(name = "moved_at")
    public Instant movedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Copies what the engine changes (everything but identity and plan) onto a managed copy of this user. */
    public void copyProgressTo(CampaignUser target) {
        target.originalPolicyId = originalPolicyId;
        target.originalPolicyName = originalPolicyName;
        target.state = state;
        target.reason = reason;
        target.scopeAdded = scopeAdded;
        target.scopeRef = scopeRef;
        target.restorePolicy = restorePolicy;
        target.policyTaskId = policyTaskId;
        target.attempts = attempts;
        target.linkChecks = linkChecks;
        target.nextCheckAt = nextCheckAt;
        target.stepStartedAt = stepStartedAt;
        target.errorClass = errorClass;
        target.lastError = lastError;
        target.movedAt = movedAt;
        target.updatedAt = updatedAt;
    }
}
