package io.relink.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command tree: {@code ./relink <command>} for every operator command. */
@Command(name = "relink", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "Relink 0.1.0-SNAPSHOT",
        description = "Relink's operator commands (./relink --help lists the stack commands too).",
        subcommands = {SnapshotCommands.Ingest.class, SnapshotCommands.Pull.class, SnapshotCommands.Snapshots.class,
                MatchCommands.Matches.class, MatchCommands.Review.class, CampaignCommands.Campaign.class,
                CampaignCommands.DeadLetters.class, CampaignCommands.Report.class, Commands.Audit.class})
public final class Commands {

    public static CommandLine commandLine() {
        return new CommandLine(new Commands()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** {@code ./relink audit export ID}: the campaign's audit trail, as the issue names it. */
    @Command(name = "audit", description = "Audit trails.",
            subcommands = {ExportAudit.class})
    static final class Audit {
    }

    @Command(name = "export", description = "A campaign's audit trail: every decision and API call, as NDJSON (or CSV).")
    static final class ExportAudit extends CampaignCommands.Audit {
    }
}
