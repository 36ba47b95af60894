package io.relink.inventory.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.events.Identity;
import io.relink.support.client.ApiException;
import io.relink.inventory.client.AtlassianAdminClient;
import io.relink.inventory.client.AtlassianScimClient;
import io.relink.inventory.client.Connections;
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
    private final AtlassianScimClient scim;
    private final GraphClient graph;
    private final Connections connections;
    private final IngestService ingest;
    private final InventoryConfig config;
    private final ObjectMapper json;

    public PullService(AtlassianAdminClient atlassian, AtlassianScimClient scim, GraphClient graph, Connections connections,
                       IngestService ingest, InventoryConfig config, ObjectMapper json) {
        this.atlassian = atlassian;
        this.scim = scim;
        this.graph = graph;
        this.connections = connections;
        this.ingest = ingest;
        this.config = config;
        this.json = json;
    }

    /** Pulls through {@code connection}: the default one, or a named organization / tenant. */
    public Uni<SnapshotReport> pull(String sourceName, SourceFormat origin, String connection) {
        IngestService.requireSourceName(sourceName);
        String label = Connections.DEFAULT.equals(connection) ? origin.id() : origin.id() + "@" + connection;
        Uni<SnapshotReport> pulled = switch (origin) {
            case ATLASSIAN_API -> {
                Connections.AtlassianAdmin org = connections.atlassianAdmin(connection);
                yield atlassian.managedAccounts(org).flatMap(accounts -> atlassian.policyNames(org, emails(accounts))
                                .map(policies -> atlassianResult(accounts, policies)))
                        .flatMap(result -> ingest.ingestParsed(sourceName, origin, label, result));
            }
            case SCIM_API -> {
                Connections.Scim directory = connections.scim(connection);
                Connections.AtlassianAdmin org = connections.atlassianAdmin(connection);
                yield scim.users(directory).flatMap(users -> withScimLinks(org, users))
                        .map(this::scimResult)
                        .flatMap(result -> ingest.ingestParsed(sourceName, origin, label, result));
            }
            case GRAPH_API -> graph.users(connections.graph(connection)).map(this::graphResult)
                    .flatMap(result -> ingest.ingestParsed(sourceName, origin, label, result));
            case GRAPH_DELTA -> pullDelta(sourceName, connections.graph(connection), label);
            case ATLASSIAN_CSV, ATLASSIAN_JSON, GRAPH_JSON, ENTRA_CSV, SCIM_JSON, CSV, JSON, CHANGE_FEED -> throw InvalidInputException.of(
                    null, null, "from", origin.id() + " is not an API to pull from");
        };
        return pulled.onFailure(ApiException.class).transform(e -> new InvalidInputException(502,
                "Pull from " + label + " failed: " + e.getMessage() + "; nothing was imported", List.of()));
    }

    /**
     * SCIM-link lookups: a SCIM user whose listing does not name its Atlassian account (the extension is optional)
     * is looked up by email in the organization's SCIM links. Without an organization connection, it stays unknown.
     */
    private Uni<List<JsonObject>> withScimLinks(Connections.AtlassianAdmin org, List<JsonObject> users) {
        return Multi.createFrom().iterable(users).onItem().transformToUniAndConcatenate(user -> {
            JsonObject extension = user.getJsonObject(ScimUsersJsonParser.ATLASSIAN_EXTENSION);
            String email = ScimUsersJsonParser.linkAddress(tree(user));
            if ((extension != null && extension.getString("atlassianAccountId") != null) || email == null) {
                return Uni.createFrom().item(user);
            }
            return atlassian.scimLinkedAccounts(org, email).map(accounts -> accounts.isEmpty() ? user
                    : user.copy().put(ScimUsersJsonParser.ATLASSIAN_EXTENSION,
                    new JsonObject().put("atlassianAccountId", accounts.get(0))));
        }).collect().asList();
    }

    /**
     * Incremental pull: continue from the stored deltaLink and apply the changes to the source's current
     * version; without a link, or when Graph says it expired (410 syncStateNotFound), read everything again.
     */
    private Uni<SnapshotReport> pullDelta(String sourceName, Connections.Graph tenant, String label) {
        return Panache.withSession(() -> SourceCursor.<SourceCursor>findById(sourceName)).flatMap(cursor -> {
            if (cursor == null) {
                return fullDeltaRound(sourceName, tenant, label);
            }
            return graph.delta(tenant, cursor.deltaLink)
                    .flatMap(round -> ingest.currentIdentities(sourceName).flatMap(current -> applyChanges(tenant, current, round))
                            .flatMap(result -> ingestDelta(sourceName, label, result, round.deltaLink())))
                    .onFailure(e -> e instanceof ApiException api && api.status() == 410).recoverWithUni(e -> {
                        LOG.warnf("Delta link of %s expired (%s): full resync", sourceName, e.getMessage());
                        return fullDeltaRound(sourceName, tenant, label);
                    });
        });
    }

    private Uni<SnapshotReport> fullDeltaRound(String sourceName, Connections.Graph tenant, String label) {
        return graph.delta(tenant, null).flatMap(round -> ingestDelta(sourceName, label,
                graphResult(round.entries().stream().filter(e -> !e.containsKey("@removed")).toList()), round.deltaLink()));
    }

    /** Changed users are read again in full: a delta entry may carry only the properties that changed. */
    private Uni<ParseResult> applyChanges(Connections.Graph tenant, List<Identity> current, GraphClient.DeltaRound round) {
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
                .onItem().transformToUniAndConcatenate(id -> graph.user(tenant, id).map(Optional::of)
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
    private Uni<SnapshotReport> ingestDelta(String sourceName, String label, ParseResult result, String deltaLink) {
        return ingest.ingestParsed(sourceName, SourceFormat.GRAPH_DELTA, label, result,
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

    private ParseResult scimResult(List<JsonObject> users) {
        return convert("Atlassian SCIM /Users", "Resources", users, ScimUsersJsonParser::toIdentity);
    }

    private ParseResult graphResult(List<JsonObject> users) {
        return convert("Microsoft Graph /users", "value", users, GraphUsersJsonParser::toIdentity);
    }

    /** One record converter of an upload parser, shared by a pull: the same normalization and the same errors. */
    @FunctionalInterface
    private interface RecordConverter {
        ParsedIdentity toIdentity(com.fasterxml.jackson.databind.JsonNode record, long line, String path, InputErrors errors);
    }

    private ParseResult convert(String origin, String arrayName, List<JsonObject> records, RecordConverter converter) {
        InputErrors errors = new InputErrors(origin, config.maxReportedErrors());
        IdentityCollector collected = new IdentityCollector();
        long index = 0;
        for (JsonObject record : records) {
            index++;
            ParsedIdentity identity = converter.toIdentity(tree(record), index, arrayName + "[" + (index - 1) + "]", errors);
            if (identity != null) {
                collected.add(identity);
            }
        }
        return collected.result(errors, null, null);
    }

    private com.fasterxml.jackson.databind.JsonNode tree(JsonObject object) {
        try {
            return json.readTree(object.encode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Vert.x produced invalid JSON", e);
        }
    }
}
