package io.relink.executor.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.relink.executor.AuditEntry;
import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics: {@code relink_campaign_users{campaign, state}} (refreshed every tick for running campaigns) and
 * {@code relink_api_calls_seconds{action, outcome}} for every external call the executor makes.
 */
@ApplicationScoped
public class CampaignMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> users = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> refreshed = new ConcurrentHashMap<>();

    public CampaignMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Whether the campaign's gauges are older than {@code interval} (counting users per state is a query). */
    boolean refreshDue(UUID campaignId, Duration interval) {
        Instant now = Instant.now();
        Instant last = refreshed.get(campaignId);
        if (last != null && last.plus(interval).isAfter(now)) {
            return false;
        }
        refreshed.put(campaignId, now);
        return true;
    }

    /** The next {@link #refreshDue} answers true: the campaign is about to stop being refreshed by ticks. */
    void invalidate(UUID campaignId) {
        refreshed.remove(campaignId);
    }

    void campaignUsers(Campaign campaign, Map<CampaignUser.State, Long> counts) {
        for (CampaignUser.State state : CampaignUser.State.values()) {
            String key = campaign.id + "/" + state;
            AtomicLong value = users.computeIfAbsent(key, k -> {
                AtomicLong holder = new AtomicLong();
                Gauge.builder("relink.campaign.users", holder, AtomicLong::get)
                        .description("Users of a campaign per state")
                        .tags(Tags.of("campaign", campaign.name, "campaign_id", campaign.id.toString(), "state", state.name()))
                        .register(registry);
                return holder;
            });
            value.set(counts.getOrDefault(state, 0L));
        }
    }

    void apiCalls(List<AuditEntry> entries) {
        for (AuditEntry entry : entries) {
            if (entry.kind == AuditEntry.Kind.API_CALL && entry.durationMs != null) {
                Timer.builder("relink.api.calls").description("External API calls made by campaigns")
                        .tags("action", entry.action, "outcome", entry.outcome)
                        .register(registry).record(Duration.ofMillis(entry.durationMs));
            }
        }
    }
}
