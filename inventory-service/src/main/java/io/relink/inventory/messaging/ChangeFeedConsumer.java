package io.relink.inventory.messaging;

import io.relink.events.SourceKind;
import io.relink.inventory.service.ChangeFeed;
import io.relink.support.messaging.ConsumerFailures;
import io.relink.support.messaging.DeadLetters;
import io.relink.support.messaging.ProcessedEvents;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an external change feed (channel {@code identity-change-feed}, off unless RELINK_CHANGE_FEED_ENABLED=true) a
 * poll at a time and applies each source's changes as its next snapshot ({@link ChangeFeed}). A record that is not a
 * valid change, or a source whose snapshot is refused (e.g. its kind differs from the source's), goes to the dead-letter
 * topic with the reason; a database or broker outage is waited out, and the offsets are committed only after the poll
 * was applied, so nothing is lost.
 */
@ApplicationScoped
public class ChangeFeedConsumer {

    private static final Logger LOG = Logger.getLogger(ChangeFeedConsumer.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    private final ChangeFeed feed;
    private final MutinyEmitter<String> deadLetters;

    public ChangeFeedConsumer(ChangeFeed feed, @Channel("change-feed-dead-letters") MutinyEmitter<String> deadLetters) {
        this.feed = feed;
        this.deadLetters = deadLetters;
    }

    @Incoming("identity-change-feed")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        Map<String, List<ChangeFeed.Change>> bySource = new LinkedHashMap<>();
        Map<String, SourceKind> kindOf = new LinkedHashMap<>();
        Map<String, List<ProcessedEvents.Delivery>> recordsOf = new LinkedHashMap<>();
        List<Uni<Void>> refused = new ArrayList<>();
        batch.getRecords().forEach(record -> {
            ProcessedEvents.Delivery delivery = ProcessedEvents.Delivery.of(record);
            try {
                ChangeFeed.Change change = feed.read(delivery.payload());
                SourceKind kind = kindOf.putIfAbsent(change.source(), change.kind());
                if (kind != null && kind != change.kind()) {
                    throw new ChangeFeed.InvalidChange("kind", change.kind() + " for source " + change.source()
                            + ", whose other changes are " + kind);
                }
                bySource.computeIfAbsent(change.source(), s -> new ArrayList<>()).add(change);
                recordsOf.computeIfAbsent(change.source(), s -> new ArrayList<>()).add(delivery);
            } catch (ChangeFeed.InvalidChange invalid) {
                refused.add(deadLetter(delivery, invalid));
            }
        });
        return Multi.createFrom().iterable(bySource.entrySet()).onItem().transformToUniAndConcatenate(entry ->
                        feed.apply(entry.getKey(), kindOf.get(entry.getKey()), entry.getValue())
                                .onFailure(ConsumerFailures::isTransient).retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).indefinitely()
                                .invoke(report -> LOG.infof("Change feed: source %s snapshot v%d %s (%d added, %d changed, %d removed)",
                                        report.source(), report.version(), report.status(), report.added(), report.changed(), report.removed()))
                                .replaceWithVoid()
                                .onFailure().recoverWithUni(failure -> Multi.createFrom().iterable(recordsOf.get(entry.getKey()))
                                        .onItem().transformToUniAndConcatenate(delivery -> deadLetter(delivery, failure))
                                        .collect().last().replaceWithVoid()))
                .collect().last()
                .flatMap(applied -> refused.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(refused).andFailFast().replaceWithVoid())
                .call(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private Uni<Void> deadLetter(ProcessedEvents.Delivery delivery, Throwable reason) {
        LOG.warnf("Change feed record %s/%d@%d refused: %s", delivery.topic(), delivery.partition(), delivery.offset(), reason.getMessage());
        return deadLetters.sendMessage(DeadLetters.of(delivery, reason));
    }
}
