package io.relink.inventory.client;

import io.relink.inventory.config.InventoryConfig;
import io.relink.support.client.ClientsConfig;
import io.relink.support.client.GraphTokens;
import io.relink.support.rest.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The vendor connections a pull can use: the default one ({@code relink.clients.*}) and any number of named
 * ones ({@code relink.inventory.connections.<name>.*}, one per further Atlassian organization or Entra tenant),
 * whose unset settings fall back to the default's. Credentials are read here and handed to the clients only.
 */
@ApplicationScoped
public class Connections {

    public static final String DEFAULT = "default";

    public record AtlassianAdmin(String url, String apiKey, String orgId, String directoryId, int pageSize,
                                 int policyBatchSize, ClientsConfig.RateLimit rateLimit) {
    }

    public record Scim(String url, String apiKey, String directoryId, int pageSize, ClientsConfig.RateLimit rateLimit) {
    }

    public record Graph(String url, GraphTokens.Credentials credentials, int pageSize, ClientsConfig.RateLimit rateLimit) {
    }

    private final ClientsConfig clients;
    private final InventoryConfig inventory;

    public Connections(ClientsConfig clients, InventoryConfig inventory) {
        this.clients = clients;
        this.inventory = inventory;
    }

    /** The connection names a pull accepts. */
    public List<String> names() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(DEFAULT),
                inventory.connections().keySet().stream().sorted()).toList();
    }

    public AtlassianAdmin atlassianAdmin(String name) {
        ClientsConfig.AtlassianAdmin base = clients.atlassianAdmin();
        Resolver r = resolver(name);
        return new AtlassianAdmin(
                r.value(InventoryConfig.Connection::atlassianAdminUrl, Optional.of(base.url()), "atlassian-admin-url", "RELINK_ATLASSIAN_ADMIN_URL"),
                r.value(InventoryConfig.Connection::atlassianApiKey, base.apiKey(), "atlassian-api-key", "RELINK_ATLASSIAN_API_KEY"),
                r.value(InventoryConfig.Connection::atlassianOrgId, base.orgId(), "atlassian-org-id", "RELINK_ATLASSIAN_ORG_ID"),
                r.value(InventoryConfig.Connection::atlassianDirectoryId, Optional.of(base.directoryId()), "atlassian-directory-id", null),
                base.pageSize(), base.policyBatchSize(), base.rateLimit());
    }

    public Scim scim(String name) {
        ClientsConfig.AtlassianScim base = clients.atlassianScim();
        Resolver r = resolver(name);
        return new Scim(
                r.value(InventoryConfig.Connection::scimUrl, Optional.of(base.url()), "scim-url", "RELINK_ATLASSIAN_SCIM_URL"),
                r.value(InventoryConfig.Connection::scimApiKey, base.apiKey(), "scim-api-key", "RELINK_ATLASSIAN_SCIM_API_KEY"),
                r.value(InventoryConfig.Connection::scimDirectoryId, base.directoryId(), "scim-directory-id",
                        "RELINK_ATLASSIAN_SCIM_DIRECTORY_ID"),
                inventory.scimPageSize(), base.rateLimit());
    }

    public Graph graph(String name) {
        ClientsConfig.Graph base = clients.graph();
        Resolver r = resolver(name);
        if (r.named() == null) {
            return new Graph(base.url(), GraphTokens.Credentials.of(base), base.pageSize(), base.rateLimit());
        }
        InventoryConfig.Connection named = r.named();
        String prefix = "relink.inventory.connections." + name + ".";
        // A named tenant authenticates with its own app registration, or its own static token; the default's
        // credentials are never borrowed for another tenant.
        GraphTokens.Credentials credentials = new GraphTokens.Credentials(
                r.value(InventoryConfig.Connection::graphTenantId, Optional.of(base.tenantId()), "graph-tenant-id", null),
                named.graphToken(), named.graphClientId(), named.graphClientSecret(), base.authorityUrl(), base.scope(),
                base.rateLimit(), prefix + "graph-client-id and " + prefix + "graph-client-secret (or " + prefix + "graph-token)");
        return new Graph(r.value(InventoryConfig.Connection::graphUrl, Optional.of(base.url()), "graph-url", "RELINK_GRAPH_URL"),
                credentials, base.pageSize(), base.rateLimit());
    }

    private Resolver resolver(String name) {
        if (name == null || name.isBlank() || DEFAULT.equals(name)) {
            return new Resolver(null, null);
        }
        InventoryConfig.Connection named = inventory.connections().get(name);
        if (named == null) {
            throw InvalidInputException.of(null, null, "connection", "Unknown connection '" + name + "'; configured: "
                    + String.join(", ", names()));
        }
        return new Resolver(name, named);
    }

    /** Picks a named connection's setting, else the default's; a missing required one is a 409 naming the key to set. */
    private record Resolver(String name, InventoryConfig.Connection named) {
        String value(Function<InventoryConfig.Connection, Optional<String>> setting, Optional<String> fallback, String key,
                     String variable) {
            Optional<String> own = named == null ? Optional.empty() : setting.apply(named).filter(v -> !v.isBlank());
            if (own.isPresent()) {
                return own.get();
            }
            String hint = name == null ? (variable != null ? variable : "relink.clients.*")
                    : "relink.inventory.connections." + name + "." + key + (variable != null ? " (or " + variable + " for all)" : "");
            return ClientsConfig.required(fallback, hint);
        }
    }
}
