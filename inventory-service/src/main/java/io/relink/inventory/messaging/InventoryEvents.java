package io.relink.inventory.messaging;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.relink.events.ChangeType;
import io.relink.events.EventEnvelope;
import io.relink.events.EventTypes;
import io.relink.events.IdentityChanged;
import io.relink.events.SnapshotCompleted;
import io.relink.events.SourceKind;
import io.relink.events.Topics;
import io.relink.inventory.repository.SnapshotPublicationRepository.Publication;
import io.relink.support.messaging.Outbox;
import io.relink.support.messaging.OutboxPublisher;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The events inventory publishes for an applied snapshot. Their ids derive from the snapshot and the identity, and their
 * time is when the snapshot was applied: a batch sent again after a crash carries the same events, which consumers drop.
 */
@ApplicationScoped
public class InventoryEvents {

    private final Outbox outbox;

    public InventoryEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Keyed by source + identity: all changes of one identity stay in order on one partition.
     *
     * @param identityJson the identity as its snapshot record holds it (JSON); null when removed
     */
    public OutboxPublisher.Outgoing identityChanged(Publication publication, ChangeType change, String externalId,
                                                    String identityJson) {
        return outbox.outgoing(Topics.IDENTITY, publication.sourceName() + "/" + externalId, EventTypes.IDENTITY_CHANGED_V1,
                new IdentityChangedJson(publication.sourceName(), publication.kind(), publication.snapshotId().toString(),
                        publication.version(), change, externalId, identityJson),
                EventEnvelope.derivedId(publication.queuedAt(), publication.snapshotId() + "/identity/" + externalId),
                publication.queuedAt(), publication.traceParent());
    }

    /**
     * The data of {@link IdentityChanged} with the identity written as the JSON its record holds, not parsed into an
     * {@link io.relink.events.Identity} and written again (publishing 1M events: 12 s instead of 15 s, 2026-12-01).
     * {@code IdentityChangedJsonTest} checks that both encode the same event.
     */
    record IdentityChangedJson(String sourceName, SourceKind sourceKind, String snapshotId, long snapshotVersion,
                               ChangeType change, String externalId, @JsonRawValue String identity) {
    }

    public OutboxPublisher.Outgoing snapshotCompleted(Publication publication) {
        return outbox.outgoing(Topics.IDENTITY, publication.sourceName(), EventTypes.SNAPSHOT_COMPLETED_V1,
                new SnapshotCompleted(publication.sourceName(), publication.kind(), publication.snapshotId().toString(),
                        publication.version(), publication.total(), publication.added(), publication.changed(),
                        publication.removed()),
                EventEnvelope.derivedId(publication.queuedAt(), publication.snapshotId() + "/completed"),
                publication.queuedAt(), publication.traceParent());
    }
}
