package io.relink.inventory.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.relink.inventory.Snapshot;
import io.relink.inventory.SnapshotRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class SnapshotRepository implements PanacheRepositoryBase<Snapshot, UUID> {

    public Uni<Snapshot> findVersion(String sourceName, long version) {
        return find("sourceName = ?1 and version = ?2", sourceName, version).firstResult();
    }

    public Uni<List<Snapshot>> listForSource(String sourceName) {
        return list("sourceName", Sort.descending("version"), sourceName);
    }

    /** Highest version number used by the source, applied or not (0 when none). */
    public Uni<Long> maxVersion(String sourceName) {
        return getSession().flatMap(session -> session
                .createQuery("select coalesce(max(s.version), 0) from Snapshot s where s.sourceName = :source", Long.class)
                .setParameter("source", sourceName)
                .getSingleResult());
    }

    public Uni<List<SnapshotRecord>> records(UUID snapshotId) {
        return SnapshotRecord.list("snapshotId", snapshotId);
    }

    /** external id -> content hash of every identity in a snapshot; what the next diff compares against. */
    public Uni<Map<String, String>> contentHashes(UUID snapshotId) {
        return SnapshotRecord.<SnapshotRecord>find("snapshotId", snapshotId).project(IdAndHash.class).list()
                .map(rows -> {
                    Map<String, String> hashes = new HashMap<>(rows.size() * 2);
                    rows.forEach(row -> hashes.put(row.externalId(), row.contentHash()));
                    return hashes;
                });
    }

    public record IdAndHash(String externalId, String contentHash) {
    }
}
