package io.relink.support.messaging;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SingleRunTest {

    private final SingleRun runs = new SingleRun("test");
    private final AtomicInteger started = new AtomicInteger();
    private CompletableFuture<Void> current = new CompletableFuture<>();

    /** A sender's scheduled method: its work (which ends when {@code current} completes) goes through the guard. */
    private Uni<Void> scheduled() {
        return runs.run(() -> {
            started.incrementAndGet();
            return Uni.createFrom().completionStage(current);
        });
    }

    @Test
    void aRunAskedForWhileOneIsUnderWayIsSkippedAndTheNextOneRuns() {
        runs.startNow(this::scheduled);
        assertThat(started).as("started now").hasValue(1);

        runs.startNow(this::scheduled);
        scheduled().subscribe().with(ignored -> {
        });
        assertThat(started).as("skipped while the first is under way").hasValue(1);

        current.complete(null);
        current = new CompletableFuture<>();
        runs.startNow(this::scheduled);
        assertThat(started).as("runs again once the first has ended").hasValue(2);
    }

    @Test
    void aFailedRunFreesTheGuard() {
        runs.startNow(this::scheduled);
        current.completeExceptionally(new IllegalStateException("broker down"));
        current = new CompletableFuture<>();
        runs.startNow(this::scheduled);
        assertThat(started).hasValue(2);
    }
}
