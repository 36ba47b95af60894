package io.relink.e2e;

import io.relink.events.EventCodec;
import io.relink.events.EventTypes;
import io.relink.events.Topics;
import io.relink.simulator.ApiSimulator;
import io.relink.simulator.FaultSpec;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.SeedSpec;
import io.relink.testing.ApiSimulatorResource;
import io.relink.testing.KafkaTestClient;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static io.relink.e2e.RunningServices.count;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault suite ({@code ./relink chaos}; RELIABILITY.md has its figures). A whole migration (three vendor pulls →
 * matching → a campaign) against the API simulator answering 30% of calls with 429 or 5xx after added latency, while
 * services are killed with SIGKILL and restarted, Kafka and PostgreSQL crash and come back mid-ingest and
 * mid-campaign, one vendor endpoint fails outright for longer than a call retries, and an Atlassian admin deactivates
 * some accounts of the last wave. Then the faults clear, the accounts are active again and the dead letters are
 * replayed, and it must hold that: no event was lost (every identity pulled is indexed, every account decided, every
 * decision received by the executor at its latest revision, every outbox empty), no user was moved twice (the
 * simulator's per-user counters), every user is in its expected final state (moved users on the SSO policy, everyone
 * else untouched), no dead letter is left open, and no vendor credential shows in a log, an event or a row.
 *
 * <p>It crashes the broker and the database it runs against: it runs only on the stack of its own that
 * {@code ./relink chaos} starts (RELINK_CHAOS=1), never on a developer's or the test suite's. Not named *IT, so
 * {@code mvn verify} does not pick it up; CI runs {@code ./relink chaos --quick}.
 */
class ChaosSuite {

    private static final String INVENTORY = "inventory-service";
    private static final String MATCHER = "matcher-service";
    private static final String EXECUTOR = "executor-service";
    private static final List<String> CAMPAIGN_KILL_ORDER = List.of(EXECUTOR, MATCHER, INVENTORY);
    private static final Map<String, String> SOURCES = Map.of("entra", "graph-api", "scim", "scim-api", "acme", "atlassian-api");
    private static final String SSO = "sso-policy";

    private final int users = Integer.getInteger("relink.chaos.users", 1000);
    private final int kills = Integer.getInteger("relink.chaos.kills", 4);
    private final double faultRate = Double.parseDouble(System.getProperty("relink.chaos.fault-rate", "0.3"));
    private final long latencyMs = Long.getLong("relink.chaos.latency-ms", 40);
    private final long seed = Long.getLong("relink.chaos.seed", 7);
    /** Longer than a call retries (8 attempts, about 25 s of back-off), so the API's circuit opens. */
    private final Duration outage = Duration.ofSeconds(Long.getLong("relink.chaos.outage-seconds", 45));
    private final Path report = Path.of(System.getProperty("relink.chaos.report", "target/chaos-report.md"));
    private final Random random = new Random(seed);
    private final Instant started = Instant.now();
    private final List<String> timeline = new ArrayList<>();
    private final Map<String, Integer> killsPerService = new TreeMap<>();
    private final Map<String, Long> phaseSeconds = new java.util.LinkedHashMap<>();
    private final List<String> deactivated = new ArrayList<>();
    private final Map<String, Integer> deadLetterKinds = new TreeMap<>();
    private final Map<String, Integer> eventFlows = new TreeMap<>();
    private int requestRetries;
    private int deadLettersBeforeReplay;

    @Test
    void aMigrationSurvivesCrashesRestartsAndFaultyApis() throws Exception {
        assertThat(System.getenv("RELINK_CHAOS")).as("run by ./relink chaos, on a stack of its own (it crashes Kafka and PostgreSQL)")
                .isEqualTo("1");
        assertThat(kills).as("kills: at least one mid-ingest and one mid-matching").isGreaterThanOrEqualTo(2);
        try (ApiSimulator simulator = ApiSimulator.start(SimulatorConfig.defaults().withPort(0)
                .withDelays(Duration.ofMillis(300), Duration.ofMillis(300)), new SeedSpec(null, null, null, null, users, seed,
                0.1, 0.1, 0.08, 0.05, 0.08, 0.04, 2, 2, 3, 3, 2, 5))) {
            Map<String, String> initialPolicies = policies(simulator);
            // 30% of every vendor call fails: two thirds as 5xx, one third as 429 with Retry-After; each after latency.
            simulator.endpoints().putFault(new FaultSpec("*", faultRate * 2 / 3, List.of(500, 502, 503), latencyMs, 0, 0, 0,
                    faultRate / 3));
            Map<String, String> env = new HashMap<>(ApiSimulatorResource.environment(simulator));
            env.putAll(RunningServices.quickTakeover());
            try (RunningServices services = RunningServices.start(env, INVENTORY, MATCHER, EXECUTOR)) {
                Map<String, Integer> totals = ingest(services);
                match(services, totals);
                String campaign = campaign(services, simulator);
                replayDeadLetters(services, simulator, campaign);
                verify(services, simulator, campaign, totals, initialPolicies);
            }
        }
    }

    /** Pulls the three sources at once; meanwhile Kafka and PostgreSQL crash and come back, and inventory is killed. */
    private Map<String, Integer> ingest(RunningServices services) throws Exception {
        Instant phase = Instant.now();
        Map<String, CompletableFuture<Integer>> pulls = new HashMap<>();
        SOURCES.forEach((source, origin) -> pulls.put(source, CompletableFuture.supplyAsync(() -> retrying("pull " + source,
                () -> given().baseUri(services.url(INVENTORY)).queryParam("from", origin).post("/api/sources/{source}/pulls", source),
                201).path("total"))));
        Thread.sleep(500);
        Supplier<String> ingestProgress = () -> "mid-ingest: " + quietCount("select count(*) from inventory.snapshot")
                + " snapshot(s) stored, " + quietCount("select count(*) from matcher.identity") + " identities indexed";
        crash(services, "kafka", ingestProgress.get());
        crash(services, "postgres", ingestProgress.get());
        kill(services, INVENTORY, ingestProgress.get());
        Map<String, Integer> totals = new TreeMap<>();
        pulls.forEach((source, pull) -> totals.put(source, pull.join()));
        event("ingest done: " + totals);
        phaseSeconds.put("ingest", Duration.between(phase, Instant.now()).toSeconds());
        return totals;
    }

    /** Waits for every account to be decided and received by the executor; the matcher is killed on the way. */
    private void match(RunningServices services, Map<String, Integer> totals) throws Exception {
        Instant phase = Instant.now();
        int identities = totals.values().stream().mapToInt(Integer::intValue).sum();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> count("select count(*) from matcher.identity") >= identities / 3);
        kill(services, MATCHER, "mid-matching: " + quietCount("select count(*) from matcher.identity") + " of " + identities
                + " identities indexed, " + quietCount("select count(*) from executor.match_decision") + " of " + totals.get("acme")
                + " decisions at the executor");
        awaitSettled(totals, Duration.ofMinutes(10));
        phaseSeconds.put("matching", Duration.between(phase, Instant.now()).toSeconds());
    }

    /**
     * Runs the campaign to its end: the remaining kills, and a Kafka and a PostgreSQL crash, land at evenly spread
     * points of its progress (scope adds, the first mutating call of each user).
     */
    private String campaign(RunningServices services, ApiSimulator simulator) throws Exception {
        Instant phase = Instant.now();
        String id = retrying("create campaign", () -> given().baseUri(services.url(EXECUTOR)).contentType("application/json")
                .body("{\"atlassianSource\":\"acme\",\"canarySize\":10,\"waveSize\":" + Math.max(50, users / 10)
                        + ",\"maxFailureRate\":1.0}").post("/api/campaigns"), 201).path("id");
        retrying("plan", () -> given().baseUri(services.url(EXECUTOR)).post("/api/campaigns/{id}/plan", id), 200);
        retrying("start", () -> given().baseUri(services.url(EXECUTOR)).post("/api/campaigns/{id}/start", id), 200);
        int toMove = count("select count(*) from executor.campaign_user where campaign_id = '" + id + "' and state <> 'EXCLUDED'");
        deactivateSomeOfTheLastWave(simulator, id, Math.max(5, toMove / 100));
        Supplier<String> progress = () -> "mid-campaign: " + quietCount("select count(*) from executor.campaign_user where"
                + " campaign_id = '" + id + "' and state = 'MOVED'") + " of " + toMove + " users moved";
        List<Runnable> faults = new ArrayList<>();
        faults.add(() -> crash(services, "kafka", progress.get()));
        faults.add(() -> crash(services, "postgres", progress.get()));
        // An outage longer than a call's retries: the users it catches fail into the dead letters.
        faults.add(() -> outage(simulator, "graph.bindGroupMembers", progress.get()));
        // The services in turn, the executor first (it makes the calls that must not be repeated), so that each is
        // killed mid-campaign; the faults' order is shuffled below.
        for (int i = 2; i < kills; i++) {
            String service = CAMPAIGN_KILL_ORDER.get((i - 2) % CAMPAIGN_KILL_ORDER.size());
            faults.add(() -> kill(services, service, progress.get()));
        }
        java.util.Collections.shuffle(faults, random);
        for (int i = 0; i < faults.size(); i++) {
            long threshold = (long) toMove * (i + 1) / (faults.size() + 1);
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> simulator.counters().mutationTotal("graph.addGroupMember") >= threshold);
            faults.get(i).run();
        }
        awaitDone(services, id, Duration.ofMinutes(20));
        phaseSeconds.put("campaign", Duration.between(phase, Instant.now()).toSeconds());
        return id;
    }

    /**
     * Accounts an Atlassian admin deactivates while the campaign runs (it happens: leavers, license clean-ups): their
     * policy add is rejected and they fail into the dead letters, the part of the run a replay must clear.
     */
    private void deactivateSomeOfTheLastWave(ApiSimulator simulator, String campaign, int how) throws Exception {
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select account_id from executor.campaign_user where campaign_id = '" + campaign
                     + "' and state <> 'EXCLUDED' and wave = (select max(wave) from executor.campaign_user where campaign_id = '"
                     + campaign + "') order by position limit " + how)) {
            while (rs.next()) {
                simulator.org().accounts.get(rs.getString(1)).accountStatus = "deactivated";
                deactivated.add(rs.getString(1));
            }
        }
        event(deactivated.size() + " accounts of the last wave deactivated in Atlassian: their policy adds will be rejected");
    }

    /** The faults clear and the deactivated accounts are active again; the dead letters are replayed until none is open. */
    private void replayDeadLetters(RunningServices services, ApiSimulator simulator, String id) throws Exception {
        Instant phase = Instant.now();
        int deadLetters = count("select count(*) from executor.dead_letter where campaign_id = '" + id + "'");
        assertThat(deadLetters).as("dead letters: at least the deactivated accounts").isGreaterThanOrEqualTo(deactivated.size());
        assertThat(count("select count(*) from executor.dead_letter where error_class = 'CIRCUIT_OPEN'"))
                .as("users failed because the API's circuit was open (an outage must pause them, not fail them)").isZero();
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select step || ' ' || error_class, count(*) from executor.dead_letter where"
                     + " campaign_id = '" + id + "' group by 1 order by 1")) {
            while (rs.next()) {
                deadLetterKinds.put(rs.getString(1), rs.getInt(2));
            }
        }
        event(deadLetters + " dead letter(s) after the campaign " + deadLetterKinds
                + "; faults cleared, the deactivated accounts reactivated");
        deactivated.forEach(account -> simulator.org().accounts.get(account).accountStatus = "active");
        simulator.endpoints().clearFaults();
        retrying("replay", () -> given().baseUri(services.url(EXECUTOR)).contentType("application/json")
                .body("{\"campaignId\":\"" + id + "\"}").post("/api/dead-letters/replay"), 200);
        awaitDone(services, id, Duration.ofMinutes(10));
        phaseSeconds.put("replay", Duration.between(phase, Instant.now()).toSeconds());
        deadLettersBeforeReplay = deadLetters;
    }

    private void verify(RunningServices services, ApiSimulator simulator, String id, Map<String, Integer> totals,
                        Map<String, String> initialPolicies) throws Exception {
        // No event lost: everything pulled is indexed and decided, and the executor has every decision's latest revision.
        awaitSettled(totals, Duration.ofMinutes(2));
        // Events are sent after their transaction commits (the relays poll every second): the replay's last ones may
        // still be on their way. None may stay behind.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String schema : List.of("inventory", "matcher", "executor")) {
                assertThat(count("select count(*) from " + schema + ".outbox_event")).as("unpublished events of " + schema).isZero();
            }
            assertThat(count("select count(*) from inventory.snapshot_publication")).as("snapshots not fully published").isZero();
            assertThat(count(RunningServices.UNPUBLISHED_DECISIONS)).as("decisions not published").isZero();
        });
        // Counts in = counts out: every distinct event on a topic was applied by its consumer, and nothing else was.
        countsInAndOut(services, Topics.IDENTITY, EventTypes.IDENTITY_CHANGED_V1, "matcher", "matcher.identity-events");
        countsInAndOut(services, Topics.MATCH, EventTypes.MATCH_DECIDED_V1, "executor", "executor.match-decisions");
        Map<String, Integer> states = new TreeMap<>();
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select state, count(*) from executor.campaign_user where campaign_id = '" + id
                     + "' group by state")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getInt(2));
            }
        }
        assertThat(states.keySet()).as("user states at the end").isSubsetOf("MOVED", "SKIPPED", "EXCLUDED");
        assertThat(count("select count(*) from executor.dead_letter where campaign_id = '" + id + "' and replayed_at is null"))
                .as("open dead letters").isZero();

        // Every user in its expected final state: moved ones on SSO, everyone else untouched.
        Map<String, String> finalPolicies = policies(simulator);
        List<String> moved = accounts(id, "MOVED");
        List<String> untouched = new ArrayList<>(initialPolicies.keySet());
        untouched.removeAll(moved);
        assertThat(moved).as("moved users").hasSize(states.getOrDefault("MOVED", 0)).isNotEmpty();
        moved.forEach(account -> assertThat(finalPolicies.get(account)).as("policy of moved " + account).isEqualTo(SSO));
        untouched.forEach(account -> assertThat(finalPolicies.get(account)).as("policy of " + account)
                .isEqualTo(initialPolicies.get(account)));

        // No user moved twice, whatever crashed in between: one scope add per moved user, and one policy add, except
        // for the deactivated accounts: their first add was rejected, the replay sent the second.
        Map<String, Map<String, Long>> calls = simulator.counters().mutationSnapshot();
        assertThat(calls.get("graph.addGroupMember")).as("scope adds per Entra user").hasSize(moved.size())
                .allSatisfy((user, count) -> assertThat(count).as("scope adds of " + user).isEqualTo(1L));
        List<String> rejectedOnce = deactivated.stream()
                .map(account -> simulator.org().accounts.get(account).email.toLowerCase(Locale.ROOT)).toList();
        assertThat(calls.get("control.addUsers")).as("policy adds per email").hasSize(moved.size())
                .allSatisfy((user, count) -> assertThat(count).as("policy adds of " + user)
                        .isEqualTo(rejectedOnce.contains(user) ? 2L : 1L));
        // The vendor credentials of all three services: in no log, event or row, crashes or not.
        services.assertCredentialsAppearNowhere(ApiSimulatorResource.credentials(simulator), INVENTORY, MATCHER, EXECUTOR);
        writeReport(simulator, totals, states, moved.size());
    }

    /** Only events of the consumer's type count: it skips the others (e.g. snapshot markers) without recording them. */
    private void countsInAndOut(RunningServices services, String topic, String type, String schema, String consumer)
            throws Exception {
        java.util.Set<String> published = new java.util.HashSet<>();
        KafkaTestClient.readAll(services.topicPrefix() + topic, Duration.ofSeconds(30)).stream()
                .map(record -> EventCodec.decode(record.value())).filter(event -> type.equals(event.type()))
                .forEach(event -> published.add(event.id()));
        java.util.Set<String> applied = new java.util.HashSet<>();
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select event_id from " + schema + ".processed_event where consumer = '" + consumer + "'")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        }
        assertThat(published).as("events on " + topic).isNotEmpty();
        assertThat(applied).as("events " + consumer + " applied, against the distinct events on " + topic)
                .containsExactlyInAnyOrderElementsOf(published);
        eventFlows.put(type + " → " + consumer, published.size());
    }

    // ---- faults ----------------------------------------------------------------------------------------------

    private void kill(RunningServices services, String service, String when) {
        try {
            services.kill(service);
            event("kill -9 " + service + " (" + when + ")");
            killsPerService.merge(service, 1, Integer::sum);
            services.restart(service);
            event(service + " restarted and ready");
        } catch (Exception e) {
            throw new IllegalStateException("restarting " + service + " failed", e);
        }
    }

    /** Crashes Kafka (SIGKILL) or PostgreSQL (immediate shutdown) through ./relink stack, waits, starts it again. */
    private void crash(RunningServices services, String what, String when) {
        try {
            RunningServices.CommandResult crash = services.stack("crash", what);
            assertThat(crash.exitCode()).as(crash.output()).isZero();
            event(what + " crashed (" + when + ")");
            Thread.sleep(3_000);
            RunningServices.CommandResult up = services.stack("up");
            assertThat(up.exitCode()).as(up.output()).isZero();
            event(what + " back");
        } catch (Exception e) {
            throw new IllegalStateException("crashing and restarting " + what + " failed", e);
        }
    }

    /** Every call to one endpoint fails (503) for a while: its circuit opens, and the calls must pause. */
    private void outage(ApiSimulator simulator, String endpoint, String when) {
        FaultSpec usual = simulator.endpoints().faults().get("*");
        simulator.endpoints().putFault(new FaultSpec(endpoint, 1.0, List.of(503), latencyMs, 0, 0, 0, 0));
        event(endpoint + " answers only 503 for " + outage.toSeconds() + " s (" + when + ")");
        sleep(outage.toMillis());
        simulator.endpoints().putFault(new FaultSpec(endpoint, usual.errorRate(), usual.statuses(), usual.latencyMs(), 0, 0, 0,
                usual.rateLimitRate()));
        event(endpoint + " back to " + Math.round(faultRate * 100) + "% faults");
    }

    /**
     * What an operator's script does: sends the request again until it gets the expected answer (the service may be
     * restarting, or its database or broker down).
     */
    private Response retrying(String what, Supplier<Response> request, int expected) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            try {
                Response response = request.get();
                if (response.statusCode() == expected) {
                    return response;
                }
                if (response.statusCode() < 500) {
                    throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.asString());
                }
            } catch (Exception down) {
                // the service is down or restarting (REST Assured throws the connection's IOException unwrapped)
            }
            synchronized (this) {
                requestRetries++;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " did not succeed in 5 minutes");
            }
            sleep(1_000);
        }
    }

    // ---- progress --------------------------------------------------------------------------------------------

    private static void awaitSettled(Map<String, Integer> totals, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            for (Map.Entry<String, Integer> total : totals.entrySet()) {
                assertThat(count("select count(*) from matcher.identity where source_name = '" + total.getKey() + "'"))
                        .as("identities of " + total.getKey()).isEqualTo(total.getValue());
            }
            assertThat(count("select count(*) from matcher.match_decision")).as("decided accounts").isEqualTo(totals.get("acme"));
            assertThat(count(RunningServices.UNPUBLISHED_DECISIONS)).as("unpublished decisions").isZero();
            assertThat(count("select count(*) from matcher.match_decision m full join executor.match_decision e on e.id = m.id"
                    + " where e.revision is distinct from m.revision")).as("decisions the executor lacks").isZero();
        });
    }

    private static void awaitDone(RunningServices services, String id, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                "COMPLETED".equals(given().baseUri(services.url(EXECUTOR)).get("/api/campaigns/{id}", id).path("state")));
    }

    private void event(String what) {
        String line = String.format(Locale.ROOT, "%6.1f s  %s", Duration.between(started, Instant.now()).toMillis() / 1000.0, what);
        synchronized (timeline) {
            timeline.add(line);
        }
        System.out.println("chaos: " + line);
    }

    // ---- reading the state -----------------------------------------------------------------------------------

    private static Map<String, String> policies(ApiSimulator simulator) {
        Map<String, String> policies = new TreeMap<>();
        simulator.org().accounts.values().forEach(account -> policies.put(account.accountId, account.policyId));
        return policies;
    }

    private static List<String> accounts(String campaign, String state) throws Exception {
        List<String> accounts = new ArrayList<>();
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select account_id from executor.campaign_user where campaign_id = '" + campaign
                     + "' and state = '" + state + "'")) {
            while (rs.next()) {
                accounts.add(rs.getString(1));
            }
        }
        return accounts;
    }

    /** A count for the timeline; -1 when the database cannot be asked (it may be the thing that is down). */
    private static int quietCount(String query) {
        try {
            return count(query);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the report ------------------------------------------------------------------------------------------

    private void writeReport(ApiSimulator simulator, Map<String, Integer> totals, Map<String, Integer> states, int moved)
            throws Exception {
        long calls = 0;
        long rateLimited = 0;
        long serverErrors = 0;
        for (Map.Entry<String, Long> answer : simulator.counters().responseSnapshot().entrySet()) {
            int status = Integer.parseInt(answer.getKey().substring(answer.getKey().lastIndexOf(' ') + 1));
            calls += answer.getValue();
            rateLimited += status == 429 ? answer.getValue() : 0;
            serverErrors += status >= 500 ? answer.getValue() : 0;
        }
        StringBuilder out = new StringBuilder();
        out.append("| what | figure |\n|---|---|\n");
        row(out, "Atlassian accounts / Entra users / SCIM users pulled",
                totals.get("acme") + " / " + totals.get("entra") + " / " + totals.get("scim"));
        row(out, "campaign users by final state", states.toString());
        row(out, "injected fault rate (429 + 5xx) and latency per call", Math.round(faultRate * 100) + "% + " + latencyMs + " ms");
        row(out, "vendor API calls answered (of them 429 / 5xx)", calls + " (" + rateLimited + " / " + serverErrors + ")");
        row(out, "services killed with SIGKILL and restarted", killsPerService.values().stream().mapToInt(Integer::intValue).sum()
                + " " + killsPerService);
        row(out, "Kafka crashes (SIGKILL) and restarts", "2 (mid-ingest, mid-campaign)");
        row(out, "PostgreSQL crashes (immediate shutdown) and restarts", "2 (mid-ingest, mid-campaign)");
        row(out, "vendor outage (Graph group member adds, graph.bindGroupMembers, answer only 503)", outage.toSeconds()
                + " s, mid-campaign: calls pause (circuit open), no user fails for it");
        row(out, "accounts deactivated in Atlassian mid-campaign (policy add rejected), reactivated before the replay",
                String.valueOf(deactivated.size()));
        row(out, "operator requests sent again (service down or restarting)", String.valueOf(requestRetries));
        phaseSeconds.forEach((phase, seconds) -> row(out, phase + " (s)", String.valueOf(seconds)));
        row(out, "dead letters before replay", String.valueOf(deadLettersBeforeReplay));
        row(out, "dead letters by step and error class", deadLetterKinds.toString());
        row(out, "events lost", "0 (every identity indexed, every account decided, every decision at the executor, outboxes "
                + "and snapshot publications empty, every decision published)");
        row(out, "distinct events on the topic = events the consumer applied", eventFlows.toString());
        row(out, "users moved twice", "0 of " + moved + " (one scope add per moved user; one policy add, two for the "
                + deactivated.size() + " whose first was rejected)");
        row(out, "users not in their expected final state", "0");
        row(out, "open dead letters after the replay", "0");
        row(out, "vendor credentials in logs, events or rows", "0");
        out.append("\nTimeline:\n\n```\n");
        timeline.forEach(line -> out.append(line).append('\n'));
        out.append("```\n");
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out.toString(), StandardCharsets.UTF_8);
        System.out.println(out);
    }

    private static void row(StringBuilder out, String what, String figure) {
        out.append("| ").append(what).append(" | ").append(figure).append(" |\n");
    }
}
