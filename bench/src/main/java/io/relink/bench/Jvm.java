package io.relink.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a benchmarked service's JVM runs: the default profile with a heap of the benchmark's ({@link #heap}), or another
 * profile of the repository's {@code jvm/} folder ({@link #profile}), as {@code ./relink up} runs it with
 * {@code RELINK_SERVICE_JVM}.
 *
 * @param label   how tables name it, e.g. {@code -Xmx256m} or {@code jvm/small-memory.args}
 * @param options the JVM options before {@code -jar}
 */
record Jvm(String label, List<String> options) {

    /** The profile {@code ./relink up} runs without {@code RELINK_SERVICE_JVM}. */
    static final String DEFAULT_PROFILE = "default";

    /**
     * The options {@code ./relink up} runs the services with by default ({@code jvm/default.args}), the heap
     * {@code -Xmx<heap>} instead of theirs (the last {@code -Xmx} counts). {@code RELINK_BENCH_SERVICE_GC} replaces the
     * file with other collector options for a comparison (e.g. {@code -XX:+UseG1GC}).
     */
    static Jvm heap(Path root, String heap) {
        String collector = ServiceProcess.env("RELINK_BENCH_SERVICE_GC", "");
        List<String> options = new ArrayList<>();
        if (collector.isEmpty()) {
            options.add("@" + optionsFile(root, DEFAULT_PROFILE));
        } else {
            options.addAll(List.of(collector.trim().split("\\s+")));
        }
        options.add("-Xmx" + heap);
        return new Jvm("-Xmx" + heap, List.copyOf(options));
    }

    /** The profile {@code name}: its options file {@code root/jvm/<name>.args}; fails naming the file when it is missing. */
    static Jvm profile(Path root, String name) {
        return new Jvm("jvm/" + name + ".args", List.of("@" + optionsFile(root, name)));
    }

    private static Path optionsFile(Path root, String name) {
        Path args = root.resolve("jvm/" + name + ".args");
        if (!Files.isRegularFile(args)) {
            throw new IllegalArgumentException("no JVM profile '" + name + "': " + args + " is missing");
        }
        return args;
    }

    /** {@code --jvm NAME} (a profile) or else {@code --heap SIZE} (default {@code defaultHeap}) of a benchmark's options. */
    static Jvm of(Path root, Map<String, String> options, String defaultHeap) {
        return options.containsKey("jvm") ? profile(root, options.get("jvm"))
                : heap(root, options.getOrDefault("heap", defaultHeap));
    }
}
