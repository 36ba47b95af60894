package io.relink.executor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One wave of a campaign; wave 1 is the canary. Exit criteria are judged when its last user is done. */
@Entity
@Table(name = "campaign_wave")
@IdClass(CampaignWave.Key.class)
public class CampaignWave extends PanacheEntityBase {

    public enum State {
        PENDING, RUNNING, PASSED, HALTED,
        /** Halted, then the operator resumed the campaign: the breach was accepted. */
        ACCEPTED
    }

    public record Key(UUID campaignId, int number) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "campaign_id")
    public UUID campaignId;

    @Id
    public int number;

    public int size;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(columnDefinition = "text")
    public String outcome;
}
