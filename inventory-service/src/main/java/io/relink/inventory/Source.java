package io.relink.inventory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.relink.events.SourceKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import java.time.Instant;

/** A directory that snapshots are taken of: one Atlassian organization or one Entra tenant. */
@Entity
public class Source extends PanacheEntityBase {

    @Id
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SourceKind kind;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "latest_version", nullable = false)
    public long latestVersion;
}
