package io.relink.inventory.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.relink.inventory.config.InventoryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the configured pulls on their intervals (e.g. a Graph delta pull every 15 minutes), through the same path as
 * an on-demand pull: the truncated-export guard and the snapshot report apply. A failed pull is logged and retried
 * on the next interval; it never stops the schedule.
 */
@ApplicationScoped
public class PullScheduler {

    private static final Logger LOG = Logger.getLogger(PullScheduler.class);

    private final InventoryConfig config;
    private final PullService pulls;
    private final Scheduler scheduler;
    private final Map<String, LastRun> lastRuns = new ConcurrentHashMap<>();

    /** How the latest scheduled pull of a schedule went. */
    public record LastRun(String schedule, String source, String from, Instant at, boolean ok, String outcome) {
    }

    public PullScheduler(InventoryConfig config, PullService pulls, Scheduler scheduler) {
        this.config = config;
        this.pulls = pulls;
        this.scheduler = scheduler;
    }

    void start(@Observes StartupEvent started) {
        config.schedules().forEach((name, schedule) -> {
            // Fail at start-up on a schedule that names a file format or an unknown one.
            SourceFormat origin = SourceFormat.fromId(schedule.from(), false, "relink.inventory.schedules." + name + ".from");
            IngestService.requireSourceName(schedule.source());
            scheduler.newJob("pull-" + name)
                    .setInterval(schedule.every().toSeconds() + "s")
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setAsyncTask(execution -> run(name, schedule.source(), origin, schedule.connection()))
                    .schedule();
            LOG.infof("Scheduled pull %s: %s (connection %s) into source %s every %s", name, origin.id(),
                    schedule.connection(), schedule.source(), schedule.every());
        });
    }

    Uni<Void> run(String name, String source, SourceFormat origin, String connection) {
        return pulls.pull(source, origin, connection)
                .invoke(report -> lastRuns.put(name, new LastRun(name, source, origin.id(), Instant.now(), true,
                        "snapshot v" + report.version() + " " + report.status() + ": " + report.total() + " identities")))
                .onFailure().invoke(e -> {
                    LOG.warnf("Scheduled pull %s of %s failed, next try on the next interval: %s", name, source, e.getMessage());
                    lastRuns.put(name, new LastRun(name, source, origin.id(), Instant.now(), false, e.getMessage()));
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Every configured schedule with its latest run (null before the first). */
    public List<Map<String, Object>> status() {
        return config.schedules().entrySet().stream().map(entry -> {
            Map<String, Object> row = new TreeMap<>();
            row.put("name", entry.getKey());
            row.put("source", entry.getValue().source());
            row.put("from", entry.getValue().from());
            row.put("every", entry.getValue().every().toString());
            row.put("connection", entry.getValue().connection());
            row.put("lastRun", lastRuns.get(entry.getKey()));
            return row;
        }).toList();
    }
}
