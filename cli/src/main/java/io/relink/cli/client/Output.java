package io.relink.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** What the commands print: tables for people, JSON for scripts, progress for long work (on standard error). */
public final class Output {

    private static final int MAX_CELL = 60;

    private Output() {
    }

    /** A column: its heading and how a row's JSON gives its cell. */
    public record Column(String heading, Function<JsonNode, String> cell, boolean numeric) {

        public static Column text(String heading, String field) {
            return new Column(heading, row -> row.path(field).isMissingNode() || row.path(field).isNull() ? "" : row.path(field).asText(), false);
        }

        public static Column number(String heading, String field) {
            return new Column(heading, row -> row.path(field).isNumber() ? String.format(Locale.ROOT, "%,d", row.path(field).asLong()) : "", true);
        }

        public static Column of(String heading, Function<JsonNode, String> cell) {
            return new Column(heading, cell, false);
        }
    }

    /** Rows of a JSON array as an aligned table (long cells cut with an ellipsis), then a count. */
    public static void table(PrintStream out, JsonNode rows, List<Column> columns, String what) {
        List<String[]> cells = new ArrayList<>();
        int[] widths = columns.stream().mapToInt(c -> c.heading().length()).toArray();
        for (JsonNode row : rows) {
            String[] line = new String[columns.size()];
            for (int i = 0; i < line.length; i++) {
                String value = columns.get(i).cell().apply(row).replaceAll("\\s+", " ");
                line[i] = value.length() > MAX_CELL ? value.substring(0, MAX_CELL - 1) + "…" : value;
                widths[i] = Math.max(widths[i], line[i].length());
            }
            cells.add(line);
        }
        if (cells.isEmpty()) {
            out.println("No " + what + ".");
            return;
        }
        out.println(line(columns.stream().map(Column::heading).toArray(String[]::new), widths, columns));
        for (String[] line : cells) {
            out.println(line(line, widths, columns));
        }
        out.println(cells.size() + " " + what);
    }

    private static String line(String[] cells, int[] widths, List<Column> columns) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String format = columns.get(i).numeric() ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
            text.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, cells[i]));
        }
        return text.toString().stripTrailing();
    }

    /** JSON as the services give it, on one line (for scripts and jq). */
    public static void json(PrintStream out, JsonNode value) {
        try {
            out.println(ServiceApi.JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when a person watches standard error (progress bars only then; scripts get clean output). */
    public static boolean interactive() {
        return System.console() != null;
    }

    /**
     * One progress line, rewritten in place: {@code label [#####.....] 40% 1,200/3,000 · 35.2/s · ETA 51 s}.
     *
     * @param perSecond the rate so far (null while unknown)
     */
    public static String progress(String label, long done, long total, Double perSecond, String unit) {
        int width = 30;
        double share = total <= 0 ? 0 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * width);
        String eta = perSecond == null || perSecond <= 0 || done >= total ? "—"
                : duration(Math.round((total - done) / perSecond));
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %,d/%,d %s · %s · ETA %s", label, "#".repeat(filled),
                ".".repeat(width - filled), share * 100, done, total, unit,
                perSecond == null ? "—" : String.format(Locale.ROOT, "%.1f/s", perSecond), eta);
    }

    public static String duration(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? (seconds / 60) + " min" : String.format(Locale.ROOT,
                "%d h %02d min", seconds / 3600, seconds / 60 % 60);
    }
}
