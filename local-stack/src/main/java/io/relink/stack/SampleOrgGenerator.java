package io.relink.stack;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Writes a realistic sample organization, reproducibly from a seed: an Atlassian managed-accounts
 * CSV export and a Microsoft Graph {@code /users} response for the same company, with the mess real
 * estates have (case differences, UPN differing from mail, people who left, guests, people only on
 * one side, two Entra users sharing an address, accounts already on the SSO policy).
 *
 * <p>Usage: {@code SampleOrgGenerator <output-dir> [accounts] [seed]}; writes
 * {@code atlassian-managed-accounts.csv} and {@code graph-users.json}.
 */
public final class SampleOrgGenerator {

    static final String DOMAIN = "acme-corp.example";
    public static final String LOCAL_POLICY = "Local accounts";
    public static final String SSO_POLICY = "Entra SSO";

    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis",
            "Frances", "Edsger", "Radia", "Tim", "Katherine", "John", "Hedy", "Donald", "Annie", "Niklaus", "Sophie",
            "Guido", "Mary", "James", "Shafi", "Leslie", "Jean", "Bjarne", "Adele", "Yukihiro", "Evelyn", "Whitfield"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson",
            "Liskov", "Ritchie", "Allen", "Dijkstra", "Perlman", "Berners-Lee", "Johnson", "Backus", "Lamarr", "Knuth",
            "Easley", "Wirth", "Wilson", "van Rossum", "Keller", "Gosling", "Goldwasser", "Lamport", "Sammet",
            "Stroustrup", "Goldberg", "Matsumoto", "Berezin", "Diffie"};

    /** One person of the sample company and how they appear on each side. */
    public record Person(String displayName, String given, String surname, String atlassianEmail, String entraMail,
                  String upn, boolean inAtlassian, boolean inEntra, boolean atlassianActive, boolean entraEnabled,
                  String userType, String policy, String objectId) {
    }

    private SampleOrgGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SampleOrgGenerator <output-dir> [accounts=2000] [seed=42]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        Files.createDirectories(out);
        List<Person> people = generate(accounts, seed);
        writeAtlassianCsv(people, out.resolve("atlassian-managed-accounts.csv"));
        writeGraphUsers(people, out.resolve("graph-users.json"));
        long atlassian = people.stream().filter(Person::inAtlassian).count();
        long entra = people.stream().filter(Person::inEntra).count();
        System.out.printf("wrote %d Atlassian accounts and %d Entra users (seed %d) to %s%n", atlassian, entra, seed, out);
    }

    public static List<Person> generate(int accounts, long seed) {
        Random random = new Random(seed);
        List<Person> people = new ArrayList<>(accounts + accounts / 10);
        for (int i = 0; i < accounts; i++) {
            String given = FIRST[random.nextInt(FIRST.length)];
            String surname = LAST[random.nextInt(LAST.length)];
            String local = (given + "." + surname).toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "") + i;
            String canonical = local + "@" + DOMAIN;
            int roll = random.nextInt(1000);
            String atlassianEmail = canonical;
            String entraMail = canonical;
            String upn = canonical;
            boolean inEntra = true;
            boolean atlassianActive = true;
            boolean entraEnabled = true;
            String userType = "Member";
            String policy = LOCAL_POLICY;
            if (roll < 150) {
                // Same person, different capitalisation in the Atlassian export.
                atlassianEmail = capitalise(local) + "@" + DOMAIN.toUpperCase(Locale.ROOT);
            } else if (roll < 230) {
                // UPN is an employee number; mail carries the address people use.
                upn = "e" + (100000 + i) + "@" + DOMAIN;
            } else if (roll < 270) {
                // Left the company: Atlassian account deactivated, Entra account disabled.
                atlassianActive = false;
                entraEnabled = false;
            } else if (roll < 310) {
                // No Entra user at all (contractor with a local account).
                inEntra = false;
            } else if (roll < 340) {
                // Already moved to SSO by hand.
                policy = SSO_POLICY;
            } else if (roll < 350) {
                // Entra account disabled but Atlassian account still active.
                entraEnabled = false;
            }
            people.add(new Person(given + " " + surname, given, surname, atlassianEmail, entraMail, upn, true, inEntra,
                    atlassianActive, entraEnabled, userType, policy, new UUID(random.nextLong(), random.nextLong()).toString()));
        }
        // Entra-only people: new hires without an Atlassian account, and guests.
        for (int i = 0; i < accounts / 20; i++) {
            String local = "newhire" + i;
            boolean guest = i % 4 == 0;
            String mail = guest ? "partner" + i + "@partner.example" : local + "@" + DOMAIN;
            String upn = guest ? "partner" + i + "_partner.example#EXT#@acmecorp.onmicrosoft.com" : mail;
            people.add(new Person("New Hire " + i, "New", "Hire " + i, null, mail, upn, false, true, true, true,
                    guest ? "Guest" : "Member", null, new UUID(random.nextLong(), random.nextLong()).toString()));
        }
        // Two Entra users sharing one address: the matcher must send the account to review.
        if (accounts >= 10) {
            Person first = people.get(5);
            people.add(new Person(first.displayName() + " (admin)", first.given(), first.surname(), null,
                    first.entraMail(), "adm-" + first.upn(), false, true, true, true, "Member", null,
                    new UUID(random.nextLong(), random.nextLong()).toString()));
        }
        return people;
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

    public static void writeAtlassianCsv(List<Person> people, Path file) throws IOException {
        String[] header = {"Name", "Email", "Last active", "Status", "Billable", "Policy name", "Policy type",
                "SAML single sign-on", "Jira", "Confluence"};
        LocalDate today = LocalDate.of(2026, 11, 1);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
            int row = 0;
            for (Person p : people) {
                if (!p.inAtlassian()) {
                    continue;
                }
                row++;
                boolean sso = SSO_POLICY.equals(p.policy());
                csv.printRecord(p.displayName(), p.atlassianEmail(), today.minusDays(row % 90),
                        p.atlassianActive() ? "Active" : "Deactivated", p.atlassianActive() ? "Yes" : "No",
                        p.policy(), sso ? "Identity provider" : "Local", sso ? "Enforced" : "Not enforced",
                        "Jira User", row % 3 == 0 ? "" : "Confluence User");
            }
        }
    }

    public static void writeGraphUsers(List<Person> people, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (JsonGenerator json = mapper.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users");
            json.writeArrayFieldStart("value");
            for (Person p : people) {
                if (!p.inEntra()) {
                    continue;
                }
                json.writeStartObject();
                json.writeStringField("id", p.objectId());
                json.writeStringField("displayName", p.displayName());
                json.writeStringField("givenName", p.given());
                json.writeStringField("surname", p.surname());
                json.writeStringField("userPrincipalName", p.upn());
                json.writeStringField("mail", p.entraMail());
                json.writeBooleanField("accountEnabled", p.entraEnabled());
                json.writeStringField("userType", p.userType());
                json.writeArrayFieldStart("proxyAddresses");
                json.writeString("SMTP:" + p.entraMail());
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
