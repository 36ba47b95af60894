package io.relink.inventory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The Graph deltaLink from which a source's next incremental pull continues. */
@Entity
@Table(name = "source_cursor")
public class SourceCursor extends PanacheEntityBase {

    @Id
    @Column(name = "source_name")
    public String sourceName;

    @Column(name = "delta_link", nullable = false, columnDefinition = "text")
    public String deltaLink;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
