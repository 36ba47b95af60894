package io.relink.matcher.messaging;

import io.relink.events.EventTypes;
import io.relink.events.IdentityChanged;
import io.relink.matcher.service.MatchService;
import io.relink.support.messaging.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies inventory's identity events. The event id is recorded in the same transaction as its effect,
 * so a redelivery (after a crash or a rebalance) changes nothing. A record that cannot be read goes to
 * the dead-letter topic and does not stop the stream. Snapshot-completed events need nothing here yet.
 */
@ApplicationScoped
public class IdentityEventConsumer {

    static final String CONSUMER = "matcher.identity-events";

    private final MatchService matches;
    private final ProcessedEvents processed;

    public IdentityEventConsumer(MatchService matches, ProcessedEvents processed) {
        this.matches = matches;
        this.processed = processed;
    }

    @Incoming("identity-events")
    public Uni<Void> consume(String payload) {
        return processed.consume(CONSUMER, payload, EventTypes.IDENTITY_CHANGED_V1, IdentityChanged.class, matches::apply);
    }
}
