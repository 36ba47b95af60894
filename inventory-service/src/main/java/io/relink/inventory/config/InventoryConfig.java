package io.relink.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "relink.inventory")
public interface InventoryConfig {

    /** How many input errors one refusal lists before it stops reading (the rest is summarised). */
    @WithDefault("100")
    int maxReportedErrors();

    /**
     * Truncated-export guard: a snapshot that would remove more than this share of the previous one is
     * held as pending confirmation instead of applied.
     */
    @WithDefault("0.2")
    double maxRemovalShare();

    /** Longest accepted field, in characters; longer fields are refused (bounded memory). */
    @WithDefault("4096")
    int maxFieldLength();

    /** Repeated rows and shared emails listed in a snapshot report (all are counted). */
    @WithDefault("1000")
    int maxReportedDuplicates();

    /** Log a progress line every this many identities read. */
    @WithDefault("100000")
    long progressEvery();

    /** Changes turned into events per batch while a snapshot is applied (bounded memory). */
    @WithDefault("5000")
    int eventBatchSize();

    /**
     * Scheduled pulls, by name: {@code relink.inventory.schedules.entra.source=contoso},
     * {@code ….from=graph-delta}, {@code ….every=15m}. None by default.
     */
    Map<String, PullSchedule> schedules();

    interface PullSchedule {
        /** The source the pull writes its snapshots to. */
        String source();

        /** An API format: atlassian-api, graph-api or graph-delta. */
        String from();

        /** Interval between pulls (a pull still running when the next is due is skipped). */
        Duration every();
    }
}
