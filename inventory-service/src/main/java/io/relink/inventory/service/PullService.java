package io.relink.inventory.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.inventory.client.ApiException;
import io.relink.inventory.client.AtlassianAdminClient;
import io.relink.inventory.client.GraphClient;
import io.relink.inventory.config.InventoryConfig;
import io.relink.support.rest.InvalidInputException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pulls a source's next snapshot from a vendor API and hands it to {@link IngestService}: the same
 * normalization, diff and atomic publication as an upload. A pull that fails part-way changes nothing.
 */
@ApplicationScoped
public class PullService {

    private final AtlassianAdminClient atlassian;
    private final GraphClient graph;
    private final IngestService ingest;
    private final InventoryConfig config;
    private final ObjectMapper json;

    public PullService(AtlassianAdminClient atlassian, GraphClient graph, IngestService ingest, InventoryConfig config,
                       ObjectMapper json) {
        this.atlassian = atlassian;
        this.graph = graph;
        this.ingest = ingest;
        this.config = config;
        this.json = json;
    }

    public Uni<SnapshotReport> pull(String sourceName, SourceFormat origin) {
        IngestService.requireSourceName(sourceName);
        Uni<ParseResult> pulled = switch (origin) {
            case ATLASSIAN_API -> atlassian.managedAccounts().flatMap(accounts -> atlassian.policyNames(emails(accounts))
                    .map(policies -> atlassianResult(accounts, policies)));
            case GRAPH_API -> graph.users().map(this::graphResult);
            case ATLASSIAN_CSV, GRAPH_JSON -> throw InvalidInputException.of(null, null, "from",
                    origin.id() + " is an upload format, not an API");
        };
        return pulled
                .onFailure(ApiException.class).transform(e -> new InvalidInputException(502,
                        "Pull from " + origin.id() + " failed: " + e.getMessage() + "; nothing was imported", List.of()))
                .flatMap(result -> ingest.ingestParsed(sourceName, origin, origin.id(), result));
    }

    private static List<String> emails(List<JsonObject> accounts) {
        return accounts.stream().map(a -> a.getString("email")).filter(e -> e != null && !e.isBlank()).toList();
    }

    private ParseResult atlassianResult(List<JsonObject> accounts, Map<String, String> policies) {
        InputErrors errors = new InputErrors("Atlassian organization API", config.maxReportedErrors());
        List<ParsedIdentity> identities = new ArrayList<>(accounts.size());
        List<ParseResult.Duplicate> duplicates = new ArrayList<>();
        Map<String, Long> firstById = new HashMap<>();
        long index = 0;
        for (JsonObject account : accounts) {
            index++;
            String id = account.getString("accountId");
            String email = account.getString("email");
            String normalized = Addresses.normalize(email);
            if (id == null || id.isBlank()) {
                errors.add(index, "data[" + (index - 1) + "].accountId", "Account without accountId");
                continue;
            }
            if (!Addresses.isPlausible(normalized)) {
                errors.add(index, "data[" + (index - 1) + "].email", "Account " + id + " has no valid email");
                continue;
            }
            Long first = firstById.putIfAbsent(id, index);
            if (first != null) {
                duplicates.add(new ParseResult.Duplicate(index, id, first));
                continue;
            }
            identities.add(new ParsedIdentity(index, new Identity(id, account.getString("name"), email.strip(), normalized,
                    null, null, List.of(), "active".equals(account.getString("accountStatus")), null,
                    policies.get(email.strip().toLowerCase(Locale.ROOT)))));
        }
        errors.throwIfAny();
        return new ParseResult(identities, duplicates);
    }

    private ParseResult graphResult(List<JsonObject> users) {
        InputErrors errors = new InputErrors("Microsoft Graph /users", config.maxReportedErrors());
        List<ParsedIdentity> identities = new ArrayList<>(users.size());
        List<ParseResult.Duplicate> duplicates = new ArrayList<>();
        Map<String, Long> firstById = new HashMap<>();
        long index = 0;
        for (JsonObject user : users) {
            index++;
            ParsedIdentity identity;
            try {
                identity = GraphUsersJsonParser.toIdentity(json.readTree(user.encode()), index, "value[" + (index - 1) + "]", errors);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Vert.x produced invalid JSON", e);
            }
            if (identity == null) {
                continue;
            }
            Long first = firstById.putIfAbsent(identity.identity().externalId(), index);
            if (first != null) {
                duplicates.add(new ParseResult.Duplicate(index, identity.identity().externalId(), first));
            } else {
                identities.add(identity);
            }
        }
        errors.throwIfAny();
        return new ParseResult(identities, duplicates);
    }
}
