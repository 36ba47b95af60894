package io.relink.inventory.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.relink.inventory.Snapshot;
import io.relink.inventory.SnapshotRecord;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SnapshotRepository implements PanacheRepositoryBase<Snapshot, UUID> {

    public Uni<Snapshot> findVersion(String sourceName, long version) {
        return find("sourceName = ?1 and version = ?2", sourceName, version).firstResult();
    }

    public Uni<List<Snapshot>> listForSource(String sourceName) {
        return list("sourceName", Sort.descending("version"), sourceName);
    }

    public Uni<List<SnapshotRecord>> records(UUID snapshotId) {
        return SnapshotRecord.list("snapshotId", snapshotId);
    }
}
