package io.relink.matcher;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** The current match decision for one Atlassian account. */
@Entity
@Table(name = "match_decision")
public class Decision extends PanacheEntityBase {

    /** The type of {@link #evidence}. */
    public static final TypeReference<List<MatchDecided.Evidence>> EVIDENCE_LIST = new TypeReference<>() {
    };

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

    @Column(name = "idp_source")
    public String idpSource;

    @Column(name = "idp_user_id")
    public String idpUserId;

    public double confidence;

    public String rule;

    /** JSON list of {@link io.relink.events.MatchDecided.Evidence} ({@link #EVIDENCE_LIST}). */
    @Column(nullable = false, columnDefinition = "text")
    public String evidence;

    /** JSON list of blocker names. */
    @Column(nullable = false, columnDefinition = "text")
    public String flags;

    @Column(name = "current_policy")
    public String currentPolicy;

    @Column(columnDefinition = "text")
    public String reason;

    public long revision;

    /** Fingerprint of the rules' own verdict, before any human decision; a review is bound to it. */
    @Column(name = "machine_fingerprint")
    public String machineFingerprint;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    /**
     * Where the decision's event is in the publication order (see {@link io.relink.matcher.messaging.DecisionPublisher}):
     * every write takes the next number, in the database ({@link io.relink.matcher.repository.DecisionRepository#upsertAll}).
     */
    @Column(name = "publish_seq", insertable = false, updatable = false)
    public Long publishSeq;

    /** The W3C trace context of the work that wrote the decision, sent with its event. */
    @Column(name = "trace_parent")
    public String traceParent;
}
