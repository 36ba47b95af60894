package io.relink.simulator;

import java.util.List;

/**
 * Faults injected into an endpoint (or every endpoint, with endpoint "*"). Rates are probabilities per call.
 *
 * @param errorRate   share of calls answered with one of {@code statuses} (default 500/502/503)
 * @param latencyMs   added to every call
 * @param timeoutRate share of calls held for {@code hangMs} and then answered 504 (clients should time out first)
 * @param dropRate    share of calls whose connection is closed without an answer
 * @param rateLimitRate share of calls answered 429 regardless of the token bucket
 */
public record FaultSpec(String endpoint, double errorRate, List<Integer> statuses, long latencyMs, double timeoutRate,
                        long hangMs, double dropRate, double rateLimitRate) {

    public FaultSpec {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint is required (an endpoint name, or * for all)");
        }
        for (double rate : new double[]{errorRate, timeoutRate, dropRate, rateLimitRate}) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("rates must be between 0 and 1");
            }
        }
        if (latencyMs < 0 || hangMs < 0) {
            throw new IllegalArgumentException("latencyMs and hangMs must not be negative");
        }
        statuses = statuses == null || statuses.isEmpty() ? List.of(500, 502, 503) : List.copyOf(statuses);
        hangMs = hangMs == 0 ? 30_000 : hangMs;
    }
}
