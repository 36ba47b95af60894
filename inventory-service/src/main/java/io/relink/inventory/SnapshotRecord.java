package io.relink.inventory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** One identity as it was in one snapshot; keyed by the snapshot and the identity's external id. */
@Entity
@Table(name = "snapshot_record")
@IdClass(SnapshotRecord.Key.class)
public class SnapshotRecord extends PanacheEntityBase {

    @Id
    @Column(name = "snapshot_id", nullable = false)
    public UUID snapshotId;

    @Id
    @Column(name = "external_id", nullable = false)
    public String externalId;

    /** SHA-256 of the normalized identity: equal hashes mean "unchanged" in the diff. */
    @Column(name = "content_hash", nullable = false)
    public String contentHash;

    @Column(nullable = false, columnDefinition = "text")
    public String identity;

    /** The primary key (migration V8). */
    public static class Key implements Serializable {

        public UUID snapshotId;
        public String externalId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(snapshotId, key.snapshotId)
                    && Objects.equals(externalId, key.externalId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(snapshotId, externalId);
        }
    }
}
