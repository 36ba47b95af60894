package io.relink.executor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import java.time.Instant;
import java.util.UUID;

/** A persisted dry-run plan for one Atlassian source. */
@Entity
public class Plan extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "atlassian_source", nullable = false)
    public String atlassianSource;

    @Column(name = "target_policy", nullable = false)
    public String targetPolicy;

    public int moves;
    public int excluded;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
