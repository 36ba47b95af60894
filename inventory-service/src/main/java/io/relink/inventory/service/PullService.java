package io.relink.inventory.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.support.client.ApiException;
import io.relink.inventory.client.AtlassianAdminClient;
import io.relink.inventory.client.GraphClient;
import io.relink.inventory.SourceCursor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import org.jboss.logging.Logger;
import io.relink.inventory.config.InventoryConfig;
import io.relink.support.rest.InvalidInputException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pulls a source's next snapshot from a vendor API and hands it to {@link IngestService}: the same
 * normalization, diff and atomic publication as an upload. A pull that fails part-way changes nothing.
 */
@ApplicationScoped
public class PullService {

    private static final Logger LOG = Logger.getLogger(PullService.class);

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
        if (origin == SourceFormat.GRAPH_DELTA) {
            return pullDelta(sourceName).onFailure(ApiException.class).transform(e -> new InvalidInputException(502,
                    "Pull from " + origin.id() + " failed: " + e.getMessage() + "; nothing was imported", List.of()));
        }
        Uni<ParseResult> pulled = switch (origin) {
            case ATLASSIAN_API -> atlassian.managedAccounts().flatMap(accounts -> atlassian.policyNames(emails(accounts))
                    .map(policies -> atlassianResult(accounts, policies)));
            case GRAPH_API -> graph.users().map(this::graphResult);
            case GRAPH_DELTA -> throw new IllegalStateException("handled above");
            case ATLASSIAN_CSV, ATLASSIAN_JSON, GRAPH_JSON, ENTRA_CSV -> throw InvalidInputException.of(null, null, "from",
                    origin.id() + " is an upload format, not an API");
        };
        return pulled
                .onFailure(ApiException.class).transform(e -> new InvalidInputException(502,
                        "Pull from " + origin.id() + " failed: " + e.getMessage() + "; nothing was imported", List.of()))
                .flatMap(result -> ingest.ingestParsed(sourceName, origin, origin.id(), result));
    }

    /**
     * Incremental pull: continue from the stored deltaLink and apply the changes to the source's current
     * version; without a link, or when Graph says it expired (410 syncStateNotFound), read everything again.
     */
    private Uni<SnapshotReport> pullDelta(String sourceName) {
        return Panache.withSession(() -> SourceCursor.<SourceCursor>findById(sourceName)).flatMap(cursor -> {
            if (cursor == null) {
                return fullDeltaRound(sourceName);
            }
            return graph.delta(cursor.deltaLink)
                    .flatMap(round -> ingest.currentIdentities(sourceName).flatMap(current -> applyChanges(current, round))
                            .flatMap(result -> ingestDelta(sourceName, result, round.deltaLink())))
                    .onFailure(e -> e instanceof ApiException api && api.status() == 410).recoverWithUni(e -> {
                        LOG.warnf("Delta link of %s expired (%s): full resync", sourceName, e.getMessage());
                        return fullDeltaRound(sourceName);
                    });
        });
    }

    private Uni<SnapshotReport> fullDeltaRound(String sourceName) {
        return graph.delta(null).flatMap(round -> ingestDelta(sourceName,
                graphResult(round.entries().stream().filter(e -> !e.containsKey("@removed")).toList()), round.deltaLink()));
    }

    /** Changed users are read again in full: a delta entry may carry only the properties that changed. */
    private Uni<ParseResult> applyChanges(List<Identity> current, GraphClient.DeltaRound round) {
        Map<String, Identity> byId = new LinkedHashMap<>();
        current.forEach(identity -> byId.put(identity.externalId(), identity));
        List<String> changed = new ArrayList<>();
        for (JsonObject entry : round.entries()) {
            if (entry.containsKey("@removed")) {
                byId.remove(entry.getString("id"));
            } else {
                changed.add(entry.getString("id"));
            }
        }
        return Multi.createFrom().iterable(changed)
                .onItem().transformToUniAndConcatenate(id -> graph.user(id).map(Optional::of)
                        .onFailure(e -> e instanceof ApiException api && api.status() == 404)
                        .recoverWithItem(Optional.empty()))
                .collect().asList()
                .map(users -> {
                    ParseResult fetched = graphResult(users.stream().flatMap(Optional::stream).toList());
                    changed.forEach(byId::remove); // users deleted between the delta and the fetch stay removed
                    fetched.identities().forEach(p -> byId.put(p.identity().externalId(), p.identity()));
                    List<ParsedIdentity> identities = new ArrayList<>(byId.size());
                    long line = 0;
                    for (Identity identity : byId.values()) {
                        identities.add(new ParsedIdentity(++line, identity));
                    }
                    return new ParseResult(identities, List.of());
                });
    }

    /** The snapshot and the new deltaLink commit together; a held snapshot leaves the link where it was. */
    private Uni<SnapshotReport> ingestDelta(String sourceName, ParseResult result, String deltaLink) {
        return ingest.ingestParsed(sourceName, SourceFormat.GRAPH_DELTA, SourceFormat.GRAPH_DELTA.id(), result,
                tx -> tx.saveDeltaLink(sourceName, deltaLink));
    }

    private static List<String> emails(List<JsonObject> accounts) {
        return accounts.stream().map(a -> a.getString("email")).filter(e -> e != null && !e.isBlank()).toList();
    }

    private ParseResult atlassianResult(List<JsonObject> accounts, Map<String, String> policies) {
        InputErrors errors = new InputErrors("Atlassian organization API", config.maxReportedErrors());
        IdentityCollector collected = new IdentityCollector();
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
            collected.add(new ParsedIdentity(index, new Identity(id, account.getString("name"), email.strip(), normalized,
                    null, null, List.of(), "active".equals(account.getString("accountStatus")), null,
                    policies.get(email.strip().toLowerCase(Locale.ROOT)), List.of(),
                    IdentityDetails.atlassian(normalized, account.getString("managementSource")))));
        }
        return collected.result(errors, null, null);
    }

    private ParseResult graphResult(List<JsonObject> users) {
        InputErrors errors = new InputErrors("Microsoft Graph /users", config.maxReportedErrors());
        IdentityCollector collected = new IdentityCollector();
        long index = 0;
        for (JsonObject user : users) {
            index++;
            ParsedIdentity identity;
            try {
                identity = GraphUsersJsonParser.toIdentity(json.readTree(user.encode()), index, "value[" + (index - 1) + "]", errors);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Vert.x produced invalid JSON", e);
            }
            if (identity != null) {
                collected.add(identity);
            }
        }
        return collected.result(errors, null, null);
    }
}
