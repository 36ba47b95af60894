package io.relink.matcher;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.relink.events.MatchOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One human decision in the review history (append-only). */
@Entity
@Table(name = "review_action")
public class ReviewAction extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "review_id", nullable = false)
    public String reviewId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Review.Action action;

    @Column(name = "idp_user_id")
    public String idpUserId;

    @Enumerated(EnumType.STRING)
    @Column(name = "previous_outcome")
    public MatchOutcome previousOutcome;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false, columnDefinition = "text")
    public String reason;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;
}
