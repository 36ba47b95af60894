package io.relink.simulator;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** One token bucket per API (per tenant: the simulator holds one org and one tenant). */
public final class RateLimits {

    private final Map<Api, Bucket> buckets = new EnumMap<>(Api.class);
    private final Map<Api, SimulatorConfig.RateLimit> limits = new EnumMap<>(Api.class);

    public RateLimits(SimulatorConfig config) {
        configure(Api.ATLASSIAN_ADMIN, config.atlassianAdminLimit());
        configure(Api.ATLASSIAN_SCIM, config.scimLimit());
        configure(Api.GRAPH, config.graphLimit());
    }

    public synchronized void configure(Api api, SimulatorConfig.RateLimit limit) {
        long refillNanos = Math.max(1, Math.round(1_000_000_000d / limit.perSecond()));
        Bandwidth bandwidth = Bandwidth.builder()
                .capacity(limit.capacity())
                .refillGreedy(1, Duration.ofNanos(refillNanos))
                .initialTokens(limit.capacity())
                .build();
        buckets.put(api, Bucket.builder().addLimit(bandwidth).build());
        limits.put(api, limit);
    }

    /** @return null when the call may proceed, otherwise how long until a token is available */
    public Duration tryAcquire(Api api) {
        Bucket bucket = buckets.get(api);
        if (bucket == null) {
            return null;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? null : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    public long capacity(Api api) {
        return limits.get(api).capacity();
    }

}
