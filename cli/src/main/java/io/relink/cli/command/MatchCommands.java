package io.relink.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.relink.cli.client.CliFailure;
import io.relink.cli.client.Output;
import io.relink.cli.client.ServiceApi;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** The matcher's decisions and its human review queue. */
final class MatchCommands {

    private MatchCommands() {
    }

    @Command(name = "matches", 
            description = {"The match decisions of an Atlassian source (matcher-service):",
                    "  (default)  the match report: counts per outcome, per rule and per blocker",
                    "  --json     one JSON object per account: accountId, email, outcome, idpUserId, confidence, rule, flags, "
                            + "evidence, currentPolicy, reason",
                    "  --csv      the same as CSV; cells a spreadsheet would run as formulas are neutralized"},
            footer = "Environment: RELINK_MATCHER_URL (default http://127.0.0.1:8082).")
    static final class Matches implements Callable<Integer> {

        @Option(names = "--source", required = true, paramLabel = "NAME")
        String source;

        @Option(names = "--outcome", paramLabel = "X", description = "MATCHED, REVIEW, NO_MATCH, ALREADY_LINKED or SKIPPED (with --json or --csv)")
        String outcome;

        @ArgGroup
        Format format;

        static final class Format {
            @Option(names = "--json", description = "JSON lines, one per account")
            boolean json;

            @Option(names = "--csv", description = "formula-safe CSV")
            boolean csv;
        }

        @Override
        public Integer call() {
            ServiceApi matcher = ServiceApi.matcher();
            if (format == null) {
                System.out.println(matcher.get("/api/matches/summary" + ServiceApi.query("source", source), "text/plain").body().stripTrailing());
            } else {
                System.out.println(matcher.get("/api/matches/export" + ServiceApi.query("source", source,
                        "format", format.json ? "ndjson" : "csv", "outcome", outcome), "*/*").body().stripTrailing());
            }
            return 0;
        }
    }

    @Command(name = "review", 
            description = {"The human review queue of the matcher. A decision stands across snapshots until the evidence behind "
                    + "it changes; then the account returns to the queue. Who decides: the user of RELINK_TOKEN, or on the local "
                    + "stack RELINK_ACTOR (default $USER); deciding needs the role reviewer or admin (./relink token --help)."},
            subcommands = {Review.Queue.class, Review.Approve.class, Review.Reject.class, Review.OverrideMatch.class},
            footer = "Environment: RELINK_MATCHER_URL (default http://127.0.0.1:8082).")
    static final class Review {

        static final List<Output.Column> QUEUE = List.of(Output.Column.text("ACCOUNT", "accountId"), Output.Column.text("EMAIL", "email"),
                Output.Column.text("OUTCOME", "outcome"), Output.Column.text("ENTRA USER", "idpUserId"),
                Output.Column.of("CANDIDATES", item -> StreamSupport.stream(item.path("candidates").spliterator(), false)
                        .map(c -> c.path("idpUserId").asText()).distinct().collect(Collectors.joining(" "))),
                Output.Column.of("FLAGS", item -> StreamSupport.stream(item.path("flags").spliterator(), false)
                        .map(JsonNode::asText).collect(Collectors.joining(" "))),
                Output.Column.of("DECIDED", item -> item.path("review").isObject() ? item.path("review").path("action").asText()
                        + " by " + item.path("review").path("actor").asText() : ""),
                Output.Column.text("WHY", "reason"));

        static String queue(String source, boolean decided) {
            return "/api/reviews/" + ServiceApi.segment(source) + ServiceApi.query("state", decided ? "decided" : "open", "limit", 10000);
        }

        static void print(JsonNode items, boolean json, String what) {
            if (json) {
                Output.json(System.out, items);
            } else {
                Output.table(System.out, items, QUEUE, what);
            }
        }

        @Command(name = "list", 
                description = "Accounts waiting for a person (outcome REVIEW, with candidates and evidence), or with --decided what people decided.")
        static final class Queue implements Callable<Integer> {
            @Option(names = "--source", required = true, paramLabel = "NAME")
            String source;

            @Option(names = "--decided", description = "what people decided, instead of the open queue")
            boolean decided;

            @Option(names = "--json", description = "print JSON: each account with its candidates and evidence")
            boolean json;

            @Override
            public Integer call() {
                print(ServiceApi.matcher().getJson(queue(source, decided)), json, decided ? "decided accounts" : "accounts in review");
                return 0;
            }
        }

        /** What approve, reject and override share: the accounts, the reason, the output. */
        abstract static class Decide implements Callable<Integer> {
            @Option(names = "--source", required = true, paramLabel = "NAME")
            String source;

            @Option(names = "--account", required = true, paramLabel = "ID",
                    description = "the account (repeat for several: one decision for all of them, all or nothing)")
            List<String> accounts = new ArrayList<>();

            @Option(names = "--reason", paramLabel = "TEXT", description = "why (required: it goes into the audit trail)")
            String reason;

            @Option(names = "--json", description = "print JSON")
            boolean json;

            @Spec
            CommandSpec spec;

            /** The Entra user named with --idp-user (approve and override only). */
            String idpUser() {
                return null;
            }

            @Override
            public Integer call() {
                if (reason == null || reason.isBlank()) {
                    throw new CliFailure(CliFailure.USAGE, "relink: --reason is required (it goes into the audit trail)");
                }
                JsonNode decided = ServiceApi.matcher().postJson("/api/reviews/" + ServiceApi.segment(source) + "/bulk",
                        ServiceApi.body("accountIds", accounts, "action", spec.name(), "reason", reason, "idpUserId", idpUser()));
                if (json) {
                    Output.json(System.out, decided);
                } else {
                    Output.table(System.out, decided, List.of(Output.Column.text("ACCOUNT", "accountId"),
                            Output.Column.text("EMAIL", "email"), Output.Column.text("OUTCOME", "outcome"),
                            Output.Column.text("ENTRA USER", "idpUserId"), Output.Column.text("RULE", "rule"),
                            Output.Column.text("WHY", "reason")), "accounts decided");
                }
                return 0;
            }
        }

        @Command(name = "approve", description = "Confirm the suggested Entra user (or the one named with --idp-user).")
        static final class Approve extends Decide {
            @Option(names = "--idp-user", paramLabel = "ENTRA-OBJECT-ID")
            String idpUser;

            @Override
            String idpUser() {
                return idpUser;
            }
        }

        @Command(name = "reject", description = "Never match the account automatically.")
        static final class Reject extends Decide {
        }

        @Command(name = "override", description = "Match the account to the Entra user named with --idp-user.")
        static final class OverrideMatch extends Decide {
            @Option(names = "--idp-user", required = true, paramLabel = "ENTRA-OBJECT-ID")
            String idpUser;

            @Override
            String idpUser() {
                return idpUser;
            }
        }
    }
}
