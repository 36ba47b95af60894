package io.relink.inventory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** One identity as it was in one snapshot. */
@Entity
@Table(name = "snapshot_record")
public class SnapshotRecord extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "snapshot_id", nullable = false)
    public UUID snapshotId;

    @Column(name = "external_id", nullable = false)
    public String externalId;

    /** SHA-256 of the normalized identity: equal hashes mean "unchanged" in the diff. */
    @Column(name = "content_hash", nullable = false)
    public String contentHash;

    @Column(nullable = false, columnDefinition = "text")
    public String identity;
}
