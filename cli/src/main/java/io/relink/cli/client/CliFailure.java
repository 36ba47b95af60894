package io.relink.cli.client;

/** Ends a command with an exit code and the lines that explain it (printed to standard error). */
public class CliFailure extends RuntimeException {

    /** A refusal or a failure: nothing (more) was done. */
    public static final int FAILED = 1;
    /** Bad arguments. */
    public static final int USAGE = 2;
    /** Work that stopped short on purpose: a snapshot held for confirmation, a campaign halted, paused or aborted. */
    public static final int STOPPED = 3;

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
