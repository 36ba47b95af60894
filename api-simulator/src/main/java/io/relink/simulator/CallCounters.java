package io.relink.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every mutating call per endpoint and per user, so tests can prove that nothing was done twice.
 * Also counts every call per endpoint and status.
 */
public final class CallCounters {

    private final Map<String, Map<String, AtomicLong>> mutations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> responses = new ConcurrentHashMap<>();

    public void mutation(String endpoint, String user) {
        mutations.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(user, u -> new AtomicLong()).incrementAndGet();
    }

    public void response(String endpoint, int status) {
        responses.computeIfAbsent(endpoint + " " + status, k -> new AtomicLong()).incrementAndGet();
    }

    /** endpoint -> user -> count, sorted. */
    public Map<String, Map<String, Long>> mutationSnapshot() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        mutations.forEach((endpoint, users) -> {
            Map<String, Long> perUser = new TreeMap<>();
            users.forEach((user, count) -> perUser.put(user, count.get()));
            copy.put(endpoint, perUser);
        });
        return copy;
    }

    /** Every mutating call to {@code endpoint}, all users together. */
    public long mutationTotal(String endpoint) {
        Map<String, AtomicLong> users = mutations.get(endpoint);
        return users == null ? 0 : users.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** "endpoint status" -> count, sorted. */
    public Map<String, Long> responseSnapshot() {
        Map<String, Long> copy = new TreeMap<>();
        responses.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    public void reset() {
        mutations.clear();
        responses.clear();
    }
}
