package io.relink.inventory.messaging;

import io.relink.events.ChangeType;
import io.relink.events.EventTypes;
import io.relink.events.Identity;
import io.relink.events.IdentityChanged;
import io.relink.events.SnapshotCompleted;
import io.relink.events.Topics;
import io.relink.inventory.Snapshot;
import io.relink.inventory.Source;
import io.relink.support.messaging.Outbox;
import io.relink.support.messaging.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;

/** The events inventory publishes, as outbox rows to persist in the snapshot's own transaction. */
@ApplicationScoped
public class InventoryEvents {

    private final Outbox outbox;

    public InventoryEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Keyed by source + identity: all changes of one identity stay in order on one partition. */
    public OutboxEvent identityChanged(Source source, Snapshot snapshot, ChangeType change, String externalId,
                                       Identity identity) {
        return outbox.toRow(Topics.IDENTITY, source.name + "/" + externalId, EventTypes.IDENTITY_CHANGED_V1,
                new IdentityChanged(source.name, source.kind, snapshot.id.toString(), snapshot.version, change,
                        externalId, identity));
    }

    public OutboxEvent snapshotCompleted(Source source, Snapshot snapshot) {
        return outbox.toRow(Topics.IDENTITY, source.name, EventTypes.SNAPSHOT_COMPLETED_V1,
                new SnapshotCompleted(source.name, source.kind, snapshot.id.toString(), snapshot.version,
                        snapshot.total, snapshot.added, snapshot.changed, snapshot.removed));
    }
}
