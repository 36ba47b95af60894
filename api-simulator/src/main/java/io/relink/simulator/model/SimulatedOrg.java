package io.relink.simulator.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole simulated world: one Atlassian organization (with its SCIM directory and policies) and one
 * Entra tenant. Only ever touched from the simulator's single Vert.x event-loop thread, so it needs no locks.
 */
public final class SimulatedOrg {

    public final String orgId;
    public final String directoryId;
    public final String scimDirectoryId;

    public final Map<String, AtlassianAccount> accounts = new LinkedHashMap<>();
    public final Map<String, EntraUser> entraUsers = new LinkedHashMap<>();
    public final Map<String, ScimUser> scimUsers = new LinkedHashMap<>();
    /**
     * When true, SCIM user representations leave out the Atlassian extension (the linked account id), as a
     * directory may: clients must then ask the user-provisioning API's SCIM links. Reset with the org.
     */
    public volatile boolean scimExtensionOmitted;
    public final Map<String, AuthPolicy> policies = new LinkedHashMap<>();
    public final Map<String, PolicyTask> tasks = new HashMap<>();
    /** group id -> member user ids */
    public final Map<String, Set<String>> groupMembers = new LinkedHashMap<>();
    /** service principal id -> (assignment id -> assignment) */
    public final Map<String, Map<String, AppRoleAssignment>> appRoleAssignments = new LinkedHashMap<>();
    /** Groups and service principals assigned to the Atlassian enterprise app: their members are in provisioning scope. */
    public final Set<String> scopeGroupIds = new LinkedHashSet<>();
    public final Set<String> scopeServicePrincipalIds = new LinkedHashSet<>();
    public final List<ProvisioningEvent> provisioningLog = new ArrayList<>();

    /** Graph delta feed: a change log of Entra users, by sequence number. */
    private final List<DeltaEntry> deltaLog = new ArrayList<>();
    private final AtomicLong deltaSequence = new AtomicLong();

    public SimulatedOrg(String orgId, String directoryId, String scimDirectoryId) {
        this.orgId = orgId;
        this.directoryId = directoryId;
        this.scimDirectoryId = scimDirectoryId;
    }

    public record AppRoleAssignment(String id, String principalId, String resourceId, String appRoleId, Instant created) {
    }

    public record DeltaEntry(long sequence, String userId, boolean removed) {
    }

    // ---- Atlassian -----------------------------------------------------------------------------------------

    public Optional<AtlassianAccount> accountByEmail(String email) {
        if (email == null) {
            return Optional.empty();
        }
        String wanted = email.strip().toLowerCase(Locale.ROOT);
        return accounts.values().stream()
                .filter(a -> a.email != null && a.email.toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }

    public AtlassianAccount newAccount(String name, String email) {
        return newAccount(name, email, newAtlassianAccountId());
    }

    /** With a given id: seeding derives ids from its random source, so the same seed gives the same accounts. */
    public AtlassianAccount newAccount(String name, String email, String accountId) {
        AtlassianAccount account = new AtlassianAccount(accountId);
        account.name = name;
        account.email = email;
        account.addedToOrg = Instant.now();
        accounts.put(account.accountId, account);
        return account;
    }

    public AuthPolicy policy(String id) {
        return policies.get(id);
    }

    public AuthPolicy defaultLocalPolicy() {
        return policies.values().stream().filter(p -> !p.sso()).findFirst().orElse(null);
    }

    /** Atlassian account ids look like 24 hex characters (e.g. 5b10ac8d82e05b22cc7d4ef5). */
    private static String newAtlassianAccountId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    // ---- SCIM ----------------------------------------------------------------------------------------------

    public Optional<ScimUser> scimUserByUserName(String userName) {
        return scimUsers.values().stream().filter(u -> u.userName != null && u.userName.equalsIgnoreCase(userName)).findFirst();
    }

    public Optional<ScimUser> scimUserByExternalId(String externalId) {
        return scimUsers.values().stream().filter(u -> externalId != null && externalId.equals(u.externalId)).findFirst();
    }

    // ---- Entra ---------------------------------------------------------------------------------------------

    /** Records that a user was added, changed or removed, for the delta feed. */
    public void entraUserChanged(String userId, boolean removed) {
        deltaLog.add(new DeltaEntry(deltaSequence.incrementAndGet(), userId, removed));
    }

    public long deltaPosition() {
        return deltaSequence.get();
    }

    /** Latest change per user after {@code since}, in order of their last change. */
    public Collection<DeltaEntry> changesSince(long since) {
        Map<String, DeltaEntry> latest = new LinkedHashMap<>();
        for (DeltaEntry entry : deltaLog) {
            if (entry.sequence() > since) {
                latest.remove(entry.userId());
                latest.put(entry.userId(), entry);
            }
        }
        return latest.values();
    }

    /** Is the user in the Atlassian app's provisioning scope (assigned group member or app role)? */
    public boolean inProvisioningScope(String userId) {
        for (String group : scopeGroupIds) {
            if (groupMembers.getOrDefault(group, Set.of()).contains(userId)) {
                return true;
            }
        }
        for (String servicePrincipal : scopeServicePrincipalIds) {
            if (appRoleAssignments.getOrDefault(servicePrincipal, Map.of()).values().stream()
                    .anyMatch(a -> a.principalId().equals(userId))) {
                return true;
            }
        }
        return false;
    }
}
