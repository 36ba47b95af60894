package io.relink.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own performance tools (the {@code kafka-tools} jar), run as separate JVMs against the local broker: the
 * floors the benchmarks set Relink's figures against. Each returns the seconds the tool measured for its records, read
 * from its report: not its JVM's start, nor (for the consumer) its group's join, which are not part of the floor.
 */
final class KafkaTools {

    /** ProducerPerformance's summary: "100000 records sent, 23507.3 records/sec (16.89 MB/sec), ...". */
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("^(\\d+) records sent, ([0-9.]+) records/sec");
    /**
     * ConsumerPerformance's line without header: start.time, end.time, data.consumed.in.MB, MB.sec,
     * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec.
     */
    private static final int CONSUMER_MESSAGES = 4;
    private static final int CONSUMER_FETCH_MS = 7;

    private KafkaTools() {
    }

    /** {@code ProducerPerformance}: {@code records} records of {@code recordSize} bytes, acks=all like the outbox relay. */
    static double producerPerformance(String topic, long records, int recordSize) throws Exception {
        for (String line : run("ProducerPerformance", "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", String.valueOf(records), "--record-size", String.valueOf(Math.max(1, recordSize)),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + ServiceProcess.kafka(), "acks=all")) {
            Matcher summary = PRODUCER_SUMMARY.matcher(line);
            if (summary.find() && Long.parseLong(summary.group(1)) == records) {
                return records / Double.parseDouble(summary.group(2));
            }
        }
        throw new IllegalStateException("ProducerPerformance did not report " + records + " records sent");
    }

    /** {@code ConsumerPerformance}: reads the first {@code records} records of {@code topic} with a group of its own. */
    static double consumerPerformance(String topic, long records) throws Exception {
        for (String line : run("ConsumerPerformance", "org.apache.kafka.tools.ConsumerPerformance", "--topic", topic,
                "--messages", String.valueOf(records), "--bootstrap-server", ServiceProcess.kafka(), "--hide-header")) {
            String[] fields = line.split(",\\s*");
            if (fields.length == 10 && fields[CONSUMER_MESSAGES].trim().matches("\\d+")) {
                if (Long.parseLong(fields[CONSUMER_MESSAGES].trim()) < records) {
                    throw new IllegalStateException("ConsumerPerformance read " + fields[CONSUMER_MESSAGES].trim() + " of "
                            + records + " records of " + topic);
                }
                return Long.parseLong(fields[CONSUMER_FETCH_MS].trim()) / 1000.0;
            }
        }
        throw new IllegalStateException("ConsumerPerformance did not report what it read of " + topic);
    }

    /** Runs the tool to its end; returns its output's lines (its log lines among them). */
    private static List<String> run(String tool, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("java", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path")));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(tool + " failed: " + output.strip());
        }
        return output.lines().toList();
    }
}
