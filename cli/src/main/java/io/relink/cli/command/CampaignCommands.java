package io.relink.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.relink.cli.client.CliFailure;
import io.relink.cli.client.Output;
import io.relink.cli.client.ServiceApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** The executor: campaigns, their reports and audit trails, and the dead letters of failed user steps. */
final class CampaignCommands {

    private CampaignCommands() {
    }

    private static final String ENVIRONMENT = "Environment: RELINK_EXECUTOR_URL (default http://127.0.0.1:8083). Who acts (the audit "
            + "trail records it): the user of RELINK_TOKEN, or on the local stack RELINK_ACTOR (default $USER) as RELINK_ROLE "
            + "(default admin; ./relink token --help).";
    private static final Set<String> FINISHED = Set.of("COMPLETED", "ROLLED_BACK");
    private static final Set<String> STOPPED = Set.of("HALTED", "PAUSED", "ABORTED");

    static String campaign(String id) {
        return "/api/campaigns/" + ServiceApi.segment(id);
    }

    /** The campaign as text (what the executor renders for terminals). */
    static String status(ServiceApi executor, String id) {
        return executor.get(campaign(id), "text/plain").body().stripTrailing();
    }

    /** Writes an export to FILE, or to standard output. */
    static void save(String content, Path output) throws IOException {
        if (output == null) {
            System.out.print(content);
            System.out.flush();
        } else {
            Files.writeString(output, content, StandardCharsets.UTF_8);
            System.err.println("relink: wrote " + output);
        }
    }

    @Command(name = "campaign", 
            description = "Migration campaigns: dry run, canary and waves, halt, rollback, audit.",
            subcommands = {Create.class, Plan.class, Users.class, Start.class, Pause.class, Resume.class, Approve.class,
                    Abort.class, Rollback.class, Status.class, ListCampaigns.class, Audit.class, Report.class},
            footer = ENVIRONMENT)
    static final class Campaign {
    }

    @Command(name = "create", sortOptions = false,
            description = "Create a campaign (DRAFT) from the source's approved matches; prints its id on the last line.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--source", required = true, paramLabel = "NAME") String source;
        @Option(names = "--name", paramLabel = "TEXT") String name;
        @Option(names = "--canary", paramLabel = "N", description = "users in the canary wave") Integer canary;
        @Option(names = "--wave-size", paramLabel = "N") Integer waveSize;
        @Option(names = "--max-failure-rate", paramLabel = "RATE", description = "e.g. 0.05: a wave above it halts the campaign") Double maxFailureRate;
        @Option(names = "--max-wave-duration", paramLabel = "DURATION", description = "ISO-8601, e.g. PT2H") String maxWaveDuration;
        @Option(names = "--policy-id", paramLabel = "ID") String policyId;
        @Option(names = "--policy-name", paramLabel = "NAME") String policyName;
        @Option(names = "--scope-group", paramLabel = "ID") String scopeGroup;
        @Option(names = "--continuous", description = "stay open for accounts matched later (they await approval unless --auto-approve)") boolean continuous;
        @Option(names = "--auto-approve", description = "with --continuous: accounts matched later join the next wave by themselves") boolean autoApprove;

        @Override
        public Integer call() {
            JsonNode created = ServiceApi.executor().postJson("/api/campaigns", ServiceApi.body("atlassianSource", source, "name", name,
                    "canarySize", canary, "waveSize", waveSize, "maxFailureRate", maxFailureRate, "maxWaveDuration", maxWaveDuration,
                    "targetPolicyId", policyId, "targetPolicyName", policyName, "scopeId", scopeGroup,
                    "continuous", continuous ? true : null, "autoApprove", autoApprove ? true : null));
            String id = created.path("id").asText();
            System.err.println("relink: created campaign " + id + " (DRAFT); next: ./relink campaign plan " + id);
            System.out.println(id);
            return 0;
        }
    }

    @Command(name = "plan", 
            description = "The dry run: waves, every user's API calls or why excluded, the projected duration. Calls nothing.")
    static final class Plan implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            ServiceApi executor = ServiceApi.executor();
            executor.postJson(campaign(id) + "/plan", null);
            System.out.println(status(executor, id));
            System.out.println("relink: dry run only: nothing was called. Per-user calls: ./relink campaign users " + id
                    + "; go: ./relink campaign start " + id);
            return 0;
        }
    }

    @Command(name = "users", 
            description = "The campaign's users: state, wave, reason, and with --json the exact calls each move makes.")
    static final class Users implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--limit", defaultValue = "100", paramLabel = "N") int limit;
        @Option(names = "--offset", defaultValue = "0", paramLabel = "N") int offset;
        @Option(names = "--json", description = "print JSON") boolean json;

        @Override
        public Integer call() {
            JsonNode users = ServiceApi.executor().getJson(campaign(id) + "/users" + ServiceApi.query("offset", offset, "limit", limit));
            if (json) {
                Output.json(System.out, users);
            } else {
                Output.table(System.out, users, List.of(Output.Column.number("#", "position"), Output.Column.number("WAVE", "wave"),
                        Output.Column.text("EMAIL", "email"), Output.Column.text("STATE", "state"),
                        Output.Column.text("FROM POLICY", "fromPolicy"), Output.Column.text("ERROR", "errorClass"),
                        Output.Column.text("WHY", "reason")), "users (--offset/--limit for more)");
            }
            return 0;
        }
    }

    /** start, pause, resume, abort: one POST named like the command, then the campaign's status. */
    abstract static class Action implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            ServiceApi executor = ServiceApi.executor();
            executor.postJson(campaign(id) + "/" + spec.name(), null);
            System.out.println(status(executor, id));
            return 0;
        }
    }

    @Command(name = "start", description = "Run it: the canary wave first, then waves, each judged on its exit criteria.")
    static final class Start extends Action {
    }

    @Command(name = "pause", description = "Pause: calls already sent finish, nothing new starts.")
    static final class Pause extends Action {
    }

    @Command(name = "resume", description = "Resume a paused or halted campaign (resuming a halted one accepts the wave's breach).")
    static final class Resume extends Action {
    }

    @Command(name = "abort", description = "Stop for good (moved users stay moved; roll back to undo).")
    static final class Abort extends Action {
    }

    @Command(name = "rollback", 
            description = "Put users back on their original policy and remove the scope memberships the campaign added.")
    static final class Rollback implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--wave", paramLabel = "N", description = "one wave only") Integer wave;

        @Override
        public Integer call() {
            ServiceApi executor = ServiceApi.executor();
            executor.postJson(campaign(id) + "/rollback" + ServiceApi.query("wave", wave), null);
            System.out.println(status(executor, id));
            return 0;
        }
    }

    @Command(name = "approve", 
            description = "Continuous campaigns: let accounts matched after planning join the next wave (all waiting ones when none is named).")
    static final class Approve implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--account", paramLabel = "ACCOUNT-ID-OR-EMAIL") List<String> accounts = new ArrayList<>();

        @Override
        public Integer call() {
            JsonNode approved = ServiceApi.executor().postJson(campaign(id) + "/approve", ServiceApi.body("accountIds", accounts));
            System.out.println("relink: approved " + approved.path("approved").asInt() + " account(s)");
            return 0;
        }
    }

    @Command(name = "status", 
            description = "State, counts per state and per wave, throughput and ETA; --follow refreshes until the campaign stops.",
            exitCodeListHeading = "Exit codes with --follow:%n",
            exitCodeList = {"0:completed or rolled back", "3:halted, paused or aborted", "1:the executor refused or failed"})
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--follow", description = "refresh until the campaign stops (a progress bar with rate and ETA)") boolean follow;
        @Option(names = "--json", description = "print JSON") boolean json;
        @Option(names = "--interval", defaultValue = "${env:RELINK_FOLLOW_INTERVAL:-2}", paramLabel = "SECONDS",
                description = "with --follow: seconds between refreshes (default ${DEFAULT-VALUE})") double interval;

        @Override
        public Integer call() throws InterruptedException {
            ServiceApi executor = ServiceApi.executor();
            if (json && !follow) {
                Output.json(System.out, executor.getJson(campaign(id)));
                return 0;
            }
            long started = System.nanoTime();
            long movedAtStart = -1;
            while (true) {
                JsonNode view = executor.getJson(campaign(id));
                String state = view.path("state").asText();
                if (json) {
                    Output.json(System.out, view);
                } else if (follow && Output.interactive()) {
                    long moved = view.path("users").path("MOVED").asLong() + view.path("users").path("SKIPPED").asLong();
                    movedAtStart = movedAtStart < 0 ? moved : movedAtStart;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    Double rate = seconds >= 1 && moved > movedAtStart ? (moved - movedAtStart) / seconds : null;
                    System.out.print("\033[H\033[2J" + status(executor, id) + System.lineSeparator() + System.lineSeparator()
                            + Output.progress(state, moved, view.path("moves").asLong(), rate, "moved") + System.lineSeparator());
                    System.out.flush();
                } else {
                    System.out.println(status(executor, id));
                }
                if (!follow) {
                    return 0;
                }
                if (FINISHED.contains(state)) {
                    return 0;
                }
                if (STOPPED.contains(state)) {
                    return CliFailure.STOPPED;
                }
                Thread.sleep(Duration.ofMillis(Math.round(interval * 1000)).toMillis());
            }
        }
    }

    @Command(name = "list", description = "Every campaign, newest first.")
    static final class ListCampaigns implements Callable<Integer> {
        @Option(names = "--json", description = "print JSON") boolean json;

        @Override
        public Integer call() {
            JsonNode campaigns = ServiceApi.executor().getJson("/api/campaigns");
            if (json) {
                Output.json(System.out, campaigns);
            } else {
                Output.table(System.out, campaigns, List.of(Output.Column.text("ID", "id"), Output.Column.text("NAME", "name"),
                        Output.Column.text("SOURCE", "atlassianSource"), Output.Column.text("STATE", "state"),
                        Output.Column.number("MOVES", "moves"),
                        Output.Column.of("MOVED", c -> String.valueOf(c.path("users").path("MOVED").asLong())),
                        Output.Column.of("FAILED", c -> String.valueOf(c.path("users").path("FAILED").asLong())),
                        Output.Column.text("CREATED", "createdAt")), "campaigns");
            }
            return 0;
        }
    }

    /** report and audit: a campaign export, in its own format or as CSV, to a file or to standard output. */
    abstract static class Export implements Callable<Integer> {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--csv", description = "CSV instead (cells a spreadsheet would run as formulas are neutralized)") boolean csv;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of standard output") Path output;

        /** The export's path under the campaign, its own format and that format's media type. */
        record Resource(String path, String format, String mediaType) {
        }

        abstract Resource resource();

        @Override
        public Integer call() throws IOException {
            Resource resource = resource();
            save(ServiceApi.executor().get(campaign(id) + "/" + resource.path() + ServiceApi.query("format", csv ? "csv" : resource.format()),
                    csv ? "text/csv" : resource.mediaType()).body(), output);
            return 0;
        }
    }

    @Command(name = "audit", description = "The audit trail: every decision and API call, as NDJSON (or CSV).")
    static class Audit extends Export {
        @Override
        Resource resource() {
            return new Resource("audit", "ndjson", "application/x-ndjson");
        }
    }

    @Command(name = "report", description = "The report for the change ticket: HTML (summary, outcome per wave, timeline), or per-user CSV.")
    static final class Report extends Export {
        @Override
        Resource resource() {
            return new Resource("report", "html", "text/html");
        }
    }

    @Command(name = "dlq", 
            description = {"Dead letters: user steps that failed after their retries, and their replay.",
                    "Error classes: RATE_LIMITED, SERVER_ERROR, NETWORK, CIRCUIT_OPEN, REJECTED, NOT_FOUND, UNAUTHORIZED, LINK_TIMEOUT, "
                            + "DUPLICATE_ACCOUNT, LINKED_TO_OTHER_USER, POLICY_REJECTED, TASK_TIMEOUT."},
            subcommands = {DeadLetterList.class, DeadLetterReplay.class}, footer = ENVIRONMENT)
    static final class DeadLetters {
    }

    /** The filters list and replay share. */
    static class Filters {
        @Option(names = "--campaign", paramLabel = "ID") String campaign;
        @Option(names = "--error-class", paramLabel = "CLASS") String errorClass;
        @Option(names = "--from", paramLabel = "ISO-INSTANT") String from;
        @Option(names = "--to", paramLabel = "ISO-INSTANT") String to;
        @Option(names = "--account", paramLabel = "ACCOUNT-ID-OR-EMAIL") String account;
    }

    @Command(name = "list", description = "Open dead letters (--all: those already replayed too), oldest first.")
    static final class DeadLetterList extends Filters implements Callable<Integer> {
        @Option(names = "--all", description = "include replayed ones") boolean all;
        @Option(names = "--json", description = "print JSON") boolean json;

        @Override
        public Integer call() {
            JsonNode letters = ServiceApi.executor().getJson("/api/dead-letters" + ServiceApi.query("campaign", campaign,
                    "errorClass", errorClass, "from", from, "to", to, "account", account, "includeReplayed", all));
            if (json) {
                Output.json(System.out, letters);
            } else {
                Output.table(System.out, letters, List.of(Output.Column.text("FAILED AT", "failedAt"), Output.Column.text("EMAIL", "email"),
                        Output.Column.text("CAMPAIGN", "campaignId"), Output.Column.number("WAVE", "wave"), Output.Column.text("STEP", "step"),
                        Output.Column.text("ERROR", "errorClass"), Output.Column.number("ATTEMPTS", "attempts"),
                        Output.Column.of("REPLAYED", d -> d.path("replayedAt").isNull() || d.path("replayedAt").isMissingNode() ? "open"
                                : d.path("replayedAt").asText() + " by " + d.path("replayedBy").asText()),
                        Output.Column.text("WHY", "reason")), "dead letters");
            }
            return 0;
        }
    }

    @Command(name = "replay", 
            description = "Send the matching users back to the start of the step that failed; attempt counts are kept. A completed "
                    + "campaign runs again for them; a paused or halted one keeps them until resumed.")
    static final class DeadLetterReplay extends Filters implements Callable<Integer> {
        @Option(names = "--json", description = "print JSON") boolean json;

        @Override
        public Integer call() {
            if (campaign == null && errorClass == null && from == null && to == null && account == null) {
                throw new CliFailure(CliFailure.USAGE, "relink: say what to replay: --campaign, --error-class, --from/--to or --account");
            }
            JsonNode result = ServiceApi.executor().postJson("/api/dead-letters/replay", ServiceApi.body("campaignId", campaign,
                    "errorClass", errorClass, "from", from, "to", to, "accountId", account));
            if (json) {
                Output.json(System.out, result);
            } else {
                System.out.println("relink: replayed " + result.path("replayed").asInt() + ", skipped " + result.path("skipped").asInt());
                result.path("notes").forEach(note -> System.out.println("relink:   " + note.asText()));
            }
            return 0;
        }
    }
}
