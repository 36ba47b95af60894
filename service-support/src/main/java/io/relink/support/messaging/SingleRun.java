package io.relink.support.messaging;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One run at a time in this replica of a sender that drains a table to Kafka (the outbox relay, inventory's snapshot
 * publisher, the matcher's decision publisher), whether its schedule starts the run or a commit that just queued events does ({@link #startNow}). A run
 * asked for while another is under way is skipped: the one under way, or the next poll, sends what was queued.
 */
public final class SingleRun {

    private static final Logger LOG = Logger.getLogger(SingleRun.class);

    private final String name;
    private final AtomicBoolean running = new AtomicBoolean();

    public SingleRun(String name) {
        this.name = name;
    }

    /** {@code run}'s work, or nothing when a run is under way. */
    public Uni<Void> run(Supplier<Uni<? extends Void>> run) {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().<Void>deferred(run).eventually(() -> running.set(false));
    }

    /**
     * A run that sends batch after batch while {@code batch} says there may be more (true); a failure ends the run with
     * a warning, and the next run (the schedule's, or one started now) starts again.
     */
    public Uni<Void> drain(Supplier<Uni<Boolean>> batch) {
        return run(() -> Uni.createFrom().<Boolean>deferred(() -> batch.get())
                .repeat().whilst(more -> more)
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf("%s failed, will retry: %s", name, e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid());
    }

    /**
     * Starts a run now without waiting for it: {@code scheduledRun} is the sender's scheduled method, which goes
     * through {@link #run} (so a run under way makes this one nothing).
     */
    public void startNow(Supplier<Uni<Void>> scheduledRun) {
        scheduledRun.get().subscribe().with(ignored -> {
        }, failure -> LOG.debugf("%s run failed: %s", name, failure.getMessage()));
    }
}
