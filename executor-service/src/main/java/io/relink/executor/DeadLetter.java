package io.relink.executor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A user step that failed after its retries. It is also published to the dead-letter topic. */
@Entity
@Table(name = "dead_letter")
public class DeadLetter extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "campaign_id", nullable = false)
    public UUID campaignId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    public Integer wave;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String email;

    @Column(nullable = false)
    public String step;

    @Column(name = "error_class", nullable = false)
    public String errorClass;

    @Column(nullable = false, columnDefinition = "text")
    public String reason;

    public int attempts;

    @Column(name = "failed_at", nullable = false)
    public Instant failedAt;

    @Column(name = "replayed_at")
    public Instant replayedAt;

    @Column(name = "replayed_by")
    public String replayedBy;
}
