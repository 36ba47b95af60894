package io.relink.simulator.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/** Builds a reproducible simulated world from a {@link SeedSpec}. */
public final class OrgSeeder {

    public static final String LOCAL_POLICY_ID = "local-policy";
    public static final String SSO_POLICY_ID = "sso-policy";
    public static final String SCOPE_GROUP_ID = "atlassian-cloud-users";
    public static final String SERVICE_PRINCIPAL_ID = "atlassian-cloud-sp";
    public static final String APP_ROLE_ID = "atlassian-user-role";

    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis",
            "Frances", "Edsger", "Radia", "Tim", "Katherine", "John", "Hedy", "Donald", "Annie", "Niklaus", "Sophie", "Guido"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov",
            "Ritchie", "Allen", "Dijkstra", "Perlman", "Lee", "Johnson", "Backus", "Lamarr", "Knuth", "Easley", "Wirth"};

    private OrgSeeder() {
    }

    public static SimulatedOrg seed(SeedSpec spec) {
        spec.validate();
        Random random = new Random(spec.seedOr());
        SimulatedOrg org = new SimulatedOrg(spec.orgIdOr(), spec.directoryIdOr(), spec.scimDirectoryIdOr());
        org.policies.put(LOCAL_POLICY_ID, new AuthPolicy(LOCAL_POLICY_ID, "Local accounts", false));
        org.policies.put(SSO_POLICY_ID, new AuthPolicy(SSO_POLICY_ID, "Entra SSO", true));
        org.groupMembers.put(SCOPE_GROUP_ID, new java.util.LinkedHashSet<>());
        org.scopeGroupIds.add(SCOPE_GROUP_ID);
        org.appRoleAssignments.put(SERVICE_PRINCIPAL_ID, new java.util.LinkedHashMap<>());
        org.scopeServicePrincipalIds.add(SERVICE_PRINCIPAL_ID);

        String domain = spec.domainOr();
        String oldDomain = "old-" + domain;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int n = spec.accountsOr();
        List<EntraUser> people = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String given = FIRST[random.nextInt(FIRST.length)];
            String surname = LAST[random.nextInt(LAST.length)];
            String local = (given + "." + surname).toLowerCase(Locale.ROOT) + i;
            String mail = local + "@" + domain;
            EntraUser user = entraUser(random, given, surname, mail);
            String atlassianEmail = mail;
            AtlassianAccount account = null;

            double roll = random.nextDouble();
            double edge = SeedSpec.or(spec.caseDifferences(), 0.1);
            if (roll < edge) {
                atlassianEmail = capitalise(local) + "@" + domain.toUpperCase(Locale.ROOT);
            } else if (roll < (edge += SeedSpec.or(spec.upnDiffersFromMail(), 0.08))) {
                user.userPrincipalName = "e" + (100000 + i) + "@" + domain;
            } else if (roll < (edge += SeedSpec.or(spec.aliasOnly(), 0.03))) {
                atlassianEmail = local + "@" + oldDomain;
                user.proxyAddresses.add("smtp:" + atlassianEmail);
            } else if (roll < (edge += SeedSpec.or(spec.disabled(), 0.02))) {
                user.accountEnabled = false;
            } else if (roll < (edge += SeedSpec.or(spec.alreadyOnSso(), 0.05))) {
                account = addAccount(org, user.displayName, atlassianEmail, now, random);
                account.policyId = SSO_POLICY_ID;
                account.managementSource = "synced";
                linkScim(org, account, user, now);
                org.groupMembers.get(SCOPE_GROUP_ID).add(user.id);
            } else if (roll < edge + SeedSpec.or(spec.deactivated(), 0.03)) {
                user.accountEnabled = false;
                account = addAccount(org, user.displayName, atlassianEmail, now, random);
                account.accountStatus = "inactive";
                account.billable = false;
            }
            if (account == null) {
                addAccount(org, user.displayName, atlassianEmail, now, random);
            }
            people.add(user);
            org.entraUsers.put(user.id, user);
            org.entraUserChanged(user.id, false);
        }
        for (int i = 0; i < SeedSpec.or(spec.sharedAliases(), 1) && people.size() >= 2 * (i + 1); i++) {
            String shared = "team" + i + "@" + domain;
            people.get(2 * i).proxyAddresses.add("smtp:" + shared);
            people.get(2 * i + 1).proxyAddresses.add("smtp:" + shared);
            addAccount(org, "Team mailbox " + i, shared, now, random);
        }
        for (int i = 0; i < SeedSpec.or(spec.guests(), 2); i++) {
            String home = "partner" + i + "@partner.example";
            EntraUser guest = entraUser(random, "Partner", "Guest " + i, home);
            guest.userType = "Guest";
            guest.userPrincipalName = "partner" + i + "_partner.example#EXT#@" + domain.replace(".", "") + ".onmicrosoft.com";
            org.entraUsers.put(guest.id, guest);
            org.entraUserChanged(guest.id, false);
            addAccount(org, guest.displayName, home, now, random);
        }
        for (int i = 0; i < SeedSpec.or(spec.serviceAccounts(), 2); i++) {
            addAccount(org, "Service account " + i, "svc-automation" + i + "@" + domain, now, random);
        }
        for (int i = 0; i < SeedSpec.or(spec.duplicateAccounts(), 1) && i < people.size(); i++) {
            EntraUser person = people.get(people.size() - 1 - i);
            addAccount(org, person.displayName + " (2)", person.mail.replace("@", ".2@"), now, random);
            person.otherMails.add(person.mail.replace("@", ".2@"));
        }
        for (int i = 0; i < SeedSpec.or(spec.staleScimRecords(), 1) && i < people.size(); i++) {
            // A SCIM record from an earlier IdP integration: it holds the userName, links nothing, and
            // makes the next SCIM create for that address fail with 409 uniqueness.
            EntraUser person = people.get(i * 3 % people.size());
            ScimUser stale = new ScimUser(UUID.randomUUID().toString());
            stale.userName = person.mail;
            stale.email = person.mail;
            stale.externalId = UUID.randomUUID().toString();
            stale.active = false;
            stale.displayName = person.displayName;
            stale.created = now.minus(400, ChronoUnit.DAYS);
            stale.lastModified = stale.created;
            org.scimUsers.put(stale.id, stale);
        }
        for (int i = 0; i < SeedSpec.or(spec.entraOnly(), Math.max(1, n / 20)); i++) {
            EntraUser hire = entraUser(random, "New", "Hire " + i, "newhire" + i + "@" + domain);
            org.entraUsers.put(hire.id, hire);
            org.entraUserChanged(hire.id, false);
        }
        return org;
    }

    private static EntraUser entraUser(Random random, String given, String surname, String mail) {
        EntraUser user = new EntraUser(new UUID(random.nextLong(), random.nextLong()).toString());
        user.givenName = given;
        user.surname = surname;
        user.displayName = given + " " + surname;
        user.mail = mail;
        user.userPrincipalName = mail;
        user.proxyAddresses.add("SMTP:" + mail);
        user.employeeId = String.valueOf(100000 + random.nextInt(900000));
        return user;
    }

    private static AtlassianAccount addAccount(SimulatedOrg org, String name, String email, Instant now, Random random) {
        byte[] id = new byte[12]; // Atlassian account ids are 24 hex characters
        random.nextBytes(id);
        AtlassianAccount account = org.newAccount(name, email, java.util.HexFormat.of().formatHex(id));
        account.policyId = LOCAL_POLICY_ID;
        account.addedToOrg = now.minus(30 + random.nextInt(900), ChronoUnit.DAYS);
        account.lastActive = now.minus(random.nextInt(60), ChronoUnit.DAYS);
        return account;
    }

    private static void linkScim(SimulatedOrg org, AtlassianAccount account, EntraUser user, Instant now) {
        ScimUser scim = new ScimUser(UUID.randomUUID().toString());
        scim.userName = user.mail;
        scim.email = user.mail;
        scim.externalId = user.id;
        scim.givenName = user.givenName;
        scim.familyName = user.surname;
        scim.displayName = user.displayName;
        scim.atlassianAccountId = account.accountId;
        scim.created = now;
        scim.lastModified = now;
        org.scimUsers.put(scim.id, scim);
        account.scimUserId = scim.id;
    }

    private static String capitalise(String local) {
        StringBuilder sb = new StringBuilder(local.length());
        boolean upper = true;
        for (char c : local.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '.';
        }
        return sb.toString();
    }
}
