package io.relink.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a benchmarked service's JVM runs: a heap with the services' collector options ({@link #heap}), or a profile of
 * the repository's {@code jvm/} folder ({@link #profile}), as {@code ./relink up} runs it with {@code RELINK_SERVICE_JVM}.
 *
 * @param label   how tables name it, e.g. {@code -Xmx256m} or {@code jvm/small-memory.args}
 * @param options the JVM options before {@code -jar}
 */
record Jvm(String label, List<String> options) {

    /** {@code -Xmx<heap>} and {@link ServiceProcess#GARBAGE_COLLECTOR}, as {@code ./relink up} runs the services by default. */
    static Jvm heap(String heap) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        options.addAll(ServiceProcess.GARBAGE_COLLECTOR);
        return new Jvm("-Xmx" + heap, List.copyOf(options));
    }

    /** The profile {@code name}: its options file {@code root/jvm/<name>.args}; fails naming the file when it is missing. */
    static Jvm profile(Path root, String name) {
        Path args = root.resolve("jvm/" + name + ".args");
        if (!Files.isRegularFile(args)) {
            throw new IllegalArgumentException("no JVM profile '" + name + "': " + args + " is missing");
        }
        return new Jvm("jvm/" + name + ".args", List.of("@" + args));
    }

    /** {@code --jvm NAME} (a profile) or else {@code --heap SIZE} (default {@code defaultHeap}) of a benchmark's options. */
    static Jvm of(Path root, Map<String, String> options, String defaultHeap) {
        return options.containsKey("jvm") ? profile(root, options.get("jvm"))
                : heap(options.getOrDefault("heap", defaultHeap));
    }
}
