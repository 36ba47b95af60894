package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.relink.executor.AuditEntry;
import io.relink.support.client.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Builds audit entries: operators' decisions and every external call (what, for whom, how it went, how long).
 * Entries are persisted in the same transaction as the state change they explain.
 */
@ApplicationScoped
public class AuditTrail {

    /** The actor of everything the executor does on its own. */
    public static final String SYSTEM = "relink-executor";

    public AuditEntry decision(String actor, UUID campaignId, Integer wave, String action, String outcome, String detail) {
        AuditEntry entry = entry(actor, campaignId, wave, null, AuditEntry.Kind.DECISION, action);
        entry.outcome = outcome;
        entry.detail = detail;
        return entry;
    }

    /** "About to send": written before calls that change something, so a crash cannot hide a call. */
    public AuditEntry intent(UUID campaignId, Integer wave, String step, int users) {
        AuditEntry entry = entry(SYSTEM, campaignId, wave, null, AuditEntry.Kind.API_CALL, step);
        entry.outcome = "SENDING";
        entry.detail = users + " users";
        return entry;
    }

    /**
     * Runs one external call and appends its audit entry to {@code sink}.
     *
     * @param request method and path only: never headers or credentials
     */
    public <T> Uni<T> call(List<AuditEntry> sink, UUID campaignId, Integer wave, String accountId, String action,
                           String request, Supplier<Uni<T>> call) {
        long started = System.nanoTime();
        return Uni.createFrom().<T>deferred(call::get).onItemOrFailure().invoke((item, failure) -> {
            AuditEntry entry = entry(SYSTEM, campaignId, wave, accountId, AuditEntry.Kind.API_CALL, action);
            entry.request = request;
            entry.durationMs = (System.nanoTime() - started) / 1_000_000;
            if (failure == null) {
                entry.outcome = "OK";
            } else {
                entry.outcome = failure instanceof ApiException api ? api.errorClass() : "ERROR";
                entry.httpStatus = failure instanceof ApiException api && api.status() > 0 ? api.status() : null;
                entry.detail = failure.getMessage();
            }
            synchronized (sink) {
                sink.add(entry);
            }
        });
    }

    /** Persists the entries in the current transaction. */
    public Uni<Void> persist(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<AuditEntry> copy;
        synchronized (entries) {
            copy = List.copyOf(entries);
        }
        return Panache.getSession().flatMap(session -> session.persistAll(copy.toArray()));
    }

    private static AuditEntry entry(String actor, UUID campaignId, Integer wave, String accountId, AuditEntry.Kind kind,
                                    String action) {
        AuditEntry entry = new AuditEntry();
        entry.at = Instant.now();
        entry.actor = actor;
        entry.campaignId = campaignId;
        entry.wave = wave;
        entry.accountId = accountId;
        entry.kind = kind;
        entry.action = action;
        return entry;
    }
}
