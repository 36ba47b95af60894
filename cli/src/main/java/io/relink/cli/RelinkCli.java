package io.relink.cli;

import io.relink.cli.client.CliFailure;
import io.relink.cli.command.Commands;
import picocli.CommandLine;

/**
 * The operator commands of {@code ./relink}. The launcher script starts the local stack and the services and hands
 * these commands to this class with a bearer token in RELINK_TOKEN; they only talk to the services' REST APIs.
 */
public final class RelinkCli {

    private RelinkCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; returns its exit code (0 done, 1 refused or failed, 2 usage, 3 stopped short). */
    public static int run(String... args) {
        CommandLine commandLine = Commands.commandLine();
        commandLine.setExecutionExceptionHandler((failure, line, parseResult) -> {
            if (failure instanceof CliFailure cliFailure) {
                System.err.println(cliFailure.getMessage());
                if (cliFailure.exitCode() == CliFailure.USAGE) {
                    System.err.println("relink: see ./relink " + String.join(" ", line.getCommandSpec().qualifiedName(" ")
                            .replaceFirst("^relink ?", "")) + " --help");
                }
                return cliFailure.exitCode();
            }
            throw failure;
        });
        return commandLine.execute(args);
    }
}
