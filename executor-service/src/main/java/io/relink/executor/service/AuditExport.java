package io.relink.executor.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.relink.executor.AuditEntry;
import io.relink.support.rest.Exports;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The audit trail as files. */
@ApplicationScoped
public class AuditExport {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String[] HEADER = {"id", "at", "actor", "campaignId", "wave", "accountId", "kind", "action", "request",
            "outcome", "httpStatus", "durationMs", "detail"};

    @WithSession
    public Uni<List<AuditEntry>> entries(UUID campaignId) {
        return io.relink.executor.Campaign.findById(campaignId).flatMap(campaign -> {
            if (campaign == null) {
                throw new NotFoundException("No campaign " + campaignId);
            }
            return AuditEntry.<AuditEntry>find("campaignId", Sort.by("id"), campaignId).list();
        });
    }

    private static Object[] row(AuditEntry e) {
        return new Object[]{e.id, e.at == null ? null : e.at.toString(), e.actor, e.campaignId == null ? null : e.campaignId.toString(),
                e.wave, e.accountId, e.kind.name(), e.action, e.request, e.outcome, e.httpStatus, e.durationMs, e.detail};
    }

    public static String csv(List<AuditEntry> entries) {
        return Exports.csv(HEADER, entries.stream().map(AuditExport::row).toList());
    }

    public static String ndjson(List<AuditEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (AuditEntry entry : entries) {
            Object[] values = row(entry);
            Map<String, Object> line = new LinkedHashMap<>();
            for (int i = 0; i < HEADER.length; i++) {
                line.put(HEADER[i], values[i]);
            }
            try {
                out.append(JSON.writeValueAsString(line)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot serialize an audit entry", e);
            }
        }
        return out.toString();
    }
}
