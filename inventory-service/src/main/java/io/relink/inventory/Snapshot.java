package io.relink.inventory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import java.time.Instant;
import java.util.UUID;

/** One accepted upload or pull of a source, with its diff against the previous version. */
@Entity
public class Snapshot extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "source_name", nullable = false)
    public String sourceName;

    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public String format;

    @Column(name = "file_name")
    public String fileName;

    public int total;
    public int added;
    public int changed;
    public int removed;
    public int unchanged;

    /** JSON list of rows that repeated an identity already in the file. */
    @Column(nullable = false, columnDefinition = "text")
    public String duplicates;

    @Column(name = "duplicate_count", nullable = false)
    public int duplicateCount;

    /** JSON list of emails several identities share. */
    @Column(name = "shared_emails", nullable = false, columnDefinition = "text")
    public String sharedEmails;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SnapshotStatus status;

    /** Why the snapshot is held, for the admin who must decide. */
    @Column(name = "status_reason", columnDefinition = "text")
    public String statusReason;

    /** The applied version this snapshot was diffed against. */
    @Column(name = "base_version", nullable = false)
    public long baseVersion;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When its last event was on Kafka (see {@code SnapshotPublisher}); null until then, and while held or rejected. */
    @Column(name = "published_at")
    public Instant publishedAt;
}
