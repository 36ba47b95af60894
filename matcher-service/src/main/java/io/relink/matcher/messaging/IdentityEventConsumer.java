package io.relink.matcher.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.relink.events.EventCodec;
import io.relink.events.EventEnvelope;
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
 * the dead-letter topic and does not stop the stream.
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
        EventEnvelope<JsonNode> event = EventCodec.decode(payload);
        if (!EventTypes.IDENTITY_CHANGED_V1.equals(event.type())) {
            return Uni.createFrom().voidItem(); // snapshot-completed and future types: nothing to do here yet
        }
        IdentityChanged change = EventCodec.data(event, IdentityChanged.class);
        return processed.applyOnce(CONSUMER, event, () -> matches.apply(change));
    }
}
