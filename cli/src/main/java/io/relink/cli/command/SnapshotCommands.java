package io.relink.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.relink.cli.client.CliFailure;
import io.relink.cli.client.Output;
import io.relink.cli.client.ServiceApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** Snapshots of a source: uploading one (ingest), pulling one from a vendor API (pull), listing them (snapshots). */
final class SnapshotCommands {

    private SnapshotCommands() {
    }

    private static final long PROGRESS_FROM_BYTES = 10_000_000;

    /**
     * Prints what a snapshot upload or pull did and returns the exit code: 0 applied, 3 held by the truncated-export
     * guard, 1 refused (every input problem with file, line and field).
     */
    static int report(ServiceApi.Answer answer, String source, boolean json, String file) {
        if (json) {
            System.out.println(answer.body());
        }
        if (answer.status() == 201 || answer.status() == 202) {
            JsonNode report = answer.json();
            if (!json) {
                String version = source + ": snapshot v" + report.path("version").asLong();
                if (answer.status() == 201) {
                    System.out.printf(Locale.ROOT, "relink: %s applied: %d identities (%d added, %d changed, %d removed)%n",
                            version, report.path("total").asLong(), report.path("added").asLong(),
                            report.path("changed").asLong(), report.path("removed").asLong());
                } else {
                    System.out.println("relink: " + version + " HELD, nothing published");
                    System.out.println("relink:   " + report.path("statusReason").asText());
                }
            }
            return answer.status() == 201 ? 0 : CliFailure.STOPPED;
        }
        CliFailure refused = ServiceApi.refused(answer, file);
        if (!json) {
            System.err.println(refused.getMessage());
        }
        return refused.exitCode();
    }

    @Command(name = "ingest", sortOptions = false,
            description = {"Uploads FILE as the next snapshot of a source to inventory-service, streamed: a file of a million "
                    + "rows is fine (a progress bar shows the upload when you watch).",
                    "Formats: atlassian-csv (Atlassian \"Export managed accounts\"), atlassian-json (a saved organization API users "
                            + "response, v1 or v2, or a list of pages), graph-json (a saved Graph /users response, or a list of pages), "
                            + "entra-csv (the Entra admin center's \"Download users\" CSV), scim-json (a saved Atlassian SCIM /Users "
                            + "response, or a list of pages), csv and json (any export, read through the column mapping M; for JSON a "
                            + "column may be a JSON pointer such as \"/contact/email\", and \"records\" names the array of records)."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:applied", "3:held by the truncated-export guard (confirm or reject it)",
                    "1:refused (nothing was imported; every problem is listed with file, line and field)", "2:usage error"},
            footer = "Environment: RELINK_INVENTORY_URL (default http://127.0.0.1:8081).")
    static final class Ingest implements Callable<Integer> {

        enum Format {
            ATLASSIAN_CSV, ATLASSIAN_JSON, GRAPH_JSON, ENTRA_CSV, SCIM_JSON, CSV, JSON;

            String value() {
                return name().toLowerCase(Locale.ROOT).replace('_', '-');
            }

            static Format of(String value) {
                for (Format format : values()) {
                    if (format.value().equals(value)) {
                        return format;
                    }
                }
                throw new CliFailure(CliFailure.USAGE, "relink: unknown format '" + value + "' (supported: "
                        + String.join(" ", java.util.Arrays.stream(values()).map(Format::value).toList()) + ")");
            }
        }

        @Parameters(index = "0", paramLabel = "FORMAT", description = "atlassian-csv, atlassian-json, graph-json, entra-csv, scim-json, csv or json")
        String format;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Option(names = "--source", paramLabel = "NAME",
                description = "the source (default: \"atlassian\" for the Atlassian formats, \"scim\" for scim-json, \"entra\" otherwise)")
        String source;

        @Option(names = "--mapping", paramLabel = "M", description = "formats csv and json: a JSON column mapping file, e.g. "
                + "{\"kind\":\"entra\",\"columns\":{\"externalId\":\"Employee No\",\"email\":\"Work E-mail\"},\"activeValues\":[\"employed\"]}")
        Path mapping;

        @Option(names = "--json", description = "print the snapshot report or the problem details as JSON")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Format kind = Format.of(format);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new CliFailure(CliFailure.USAGE, "relink: cannot read file '" + file + "'");
            }
            boolean mapped = kind == Format.CSV || kind == Format.JSON;
            if (mapped && mapping == null) {
                throw new CliFailure(CliFailure.USAGE, "relink: format " + format + " needs --mapping M (a JSON column mapping; see ./relink ingest --help)");
            }
            if (mapped && (!Files.isRegularFile(mapping) || !Files.isReadable(mapping))) {
                throw new CliFailure(CliFailure.USAGE, "relink: cannot read mapping file '" + mapping + "'");
            }
            if (!mapped && mapping != null) {
                throw new CliFailure(CliFailure.USAGE, "relink: --mapping applies to formats csv and json only");
            }
            String name = source != null ? source : format.startsWith("atlassian-") ? "atlassian" : format.startsWith("scim-") ? "scim" : "entra";
            ServiceApi inventory = ServiceApi.inventory();
            long size = Files.size(file);
            AtomicLong sent = new AtomicLong();
            HttpRequest.Builder request = inventory.request("/api/sources/" + ServiceApi.segment(name) + "/snapshots"
                            + ServiceApi.query("format", format, "mapping", mapped ? Files.readString(mapping) : null))
                    .header("Content-Type", format.endsWith("csv") ? "text/csv" : "application/json")
                    .header("Accept", "application/json")
                    .header("X-File-Name", file.getFileName().toString())
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> counting(file, sent)), size));
            Thread progress = size >= PROGRESS_FROM_BYTES && Output.interactive() ? uploadProgress(size, sent) : null;
            try {
                return report(inventory.exchange(request), name, json, file.getFileName().toString());
            } finally {
                if (progress != null) {
                    progress.interrupt();
                }
            }
        }

        private static InputStream counting(Path file, AtomicLong sent) {
            try {
                return new FilterInputStream(Files.newInputStream(file)) {
                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int read = super.read(buffer, offset, length);
                        if (read > 0) {
                            sent.addAndGet(read);
                        }
                        return read;
                    }
                };
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** A progress bar of the upload on standard error; the service logs its own progress once the file is in. */
        private static Thread uploadProgress(long size, AtomicLong sent) {
            long started = System.nanoTime();
            Thread thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        double seconds = (System.nanoTime() - started) / 1e9;
                        long megabytes = sent.get() / 1_000_000;
                        System.err.print("\r" + Output.progress("upload", megabytes, size / 1_000_000,
                                seconds > 0.5 ? megabytes / seconds : null, "MB"));
                        if (sent.get() >= size) {
                            System.err.print("\r" + " ".repeat(100) + "\rrelink: uploaded; the service is reading and storing the snapshot");
                        }
                        Thread.sleep(500);
                    }
                } catch (InterruptedException done) {
                    Thread.currentThread().interrupt();
                } finally {
                    System.err.println();
                }
            }, "upload-progress");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }
    }

    @Command(name = "pull", sortOptions = false,
            description = {"Pulls the next snapshot of SOURCE from a vendor API through inventory-service.",
                    "Origins: atlassian-api (managed accounts + each one's authentication policy), scim-api (the Atlassian SCIM "
                            + "directory's users and their links), graph-api (Entra users), graph-delta (Entra changes since the last "
                            + "delta pull; the first one reads everything)."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:applied", "3:held by the truncated-export guard", "1:refused or failed (nothing imported)", "2:usage error"},
            footer = "Environment: RELINK_INVENTORY_URL (default http://127.0.0.1:8081).")
    static final class Pull implements Callable<Integer> {

        private static final List<String> ORIGINS = List.of("atlassian-api", "scim-api", "graph-api", "graph-delta");

        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Option(names = "--from", required = true, paramLabel = "ORIGIN", description = "atlassian-api, scim-api, graph-api or graph-delta")
        String from;

        @Option(names = "--connection", paramLabel = "NAME", defaultValue = "default",
                description = "a named connection (relink.inventory.connections.NAME.*; default: relink.clients.*)")
        String connection;

        @Option(names = "--json", description = "print the snapshot report or the problem details as JSON")
        boolean json;

        @Override
        public Integer call() {
            if (!ORIGINS.contains(from)) {
                throw new CliFailure(CliFailure.USAGE, "relink: unknown origin '" + from + "' (supported: " + String.join(" ", ORIGINS) + ")");
            }
            ServiceApi inventory = ServiceApi.inventory();
            return report(inventory.exchange(inventory.request("/api/sources/" + ServiceApi.segment(source) + "/pulls"
                    + ServiceApi.query("from", from, "connection", connection)).header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody())), source, json, null);
        }
    }

    @Command(name = "snapshots", 
            description = "The snapshots of a source, newest first (or of every source: their names, kinds and latest versions).",
            footer = "Environment: RELINK_INVENTORY_URL (default http://127.0.0.1:8081).")
    static final class Snapshots implements Callable<Integer> {

        @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE")
        String source;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            ServiceApi inventory = ServiceApi.inventory();
            JsonNode rows = inventory.getJson(source == null ? "/api/sources" : "/api/sources/" + ServiceApi.segment(source) + "/snapshots");
            if (json) {
                Output.json(System.out, rows);
            } else if (source == null) {
                Output.table(System.out, rows, List.of(Output.Column.text("SOURCE", "name"), Output.Column.text("KIND", "kind"),
                        Output.Column.number("LATEST", "latestVersion"), Output.Column.text("CREATED", "createdAt")), "sources");
            } else {
                Output.table(System.out, rows, List.of(Output.Column.number("VERSION", "version"), Output.Column.text("STATUS", "status"),
                        Output.Column.of("FILE OR ORIGIN", r -> r.path("fileName").asText(r.path("format").asText(""))),
                        Output.Column.number("IDENTITIES", "total"), Output.Column.number("ADDED", "added"),
                        Output.Column.number("CHANGED", "changed"), Output.Column.number("REMOVED", "removed"),
                        Output.Column.text("TAKEN", "createdAt"), Output.Column.text("ID", "id")), "snapshots");
            }
            return 0;
        }
    }
}
