package io.relink.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * Moves a consumer group back (or forward) to the first record at or after a point in time, on every partition of a
 * topic, so that the service owning the group reads the log again from there ({@code ./relink replay}). Kafka only
 * lets an inactive group be moved: the service must be stopped first. Where no record is that recent, the partition
 * goes to its end (nothing to replay there).
 *
 * <p>Usage: {@code ResetConsumerGroup <bootstrap> <group> <topic> <ISO-8601 instant | earliest> [wait-seconds]}. Exit
 * codes: 0 done, 2 bad arguments, 3 the group still has members after the wait, 1 anything else.
 */
public final class ResetConsumerGroup {

    private ResetConsumerGroup() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            fail(2, "usage: ResetConsumerGroup <bootstrap> <group> <topic> <ISO-8601 instant | earliest> [wait-seconds]");
        }
        long waitSeconds = args.length == 5 ? Long.parseLong(args[4]) : 0;
        String group = args[1];
        String topic = args[2];
        OffsetSpec target = offsetSpec(args[3]);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            awaitInactive(admin, group, waitSeconds);
            TopicDescription partitions;
            try {
                partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            } catch (ExecutionException e) {
                fail(1, "topic " + topic + " cannot be read: " + e.getCause().getMessage());
                return;
            }
            Map<TopicPartition, OffsetSpec> atTime = new HashMap<>();
            Map<TopicPartition, OffsetSpec> atEnd = new HashMap<>();
            partitions.partitions().forEach(p -> {
                TopicPartition partition = new TopicPartition(topic, p.partition());
                atTime.put(partition, target);
                atEnd.put(partition, OffsetSpec.latest());
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(atTime).all().get();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(atEnd).all().get();
            Map<TopicPartition, OffsetAndMetadata> before = committed(admin, group);
            Map<TopicPartition, OffsetAndMetadata> moved = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            found.forEach((partition, info) -> moved.put(partition,
                    new OffsetAndMetadata(info.offset() >= 0 ? info.offset() : ends.get(partition).offset())));
            admin.alterConsumerGroupOffsets(group, moved).all().get();
            long replayed = 0;
            for (var entry : moved.entrySet()) {
                OffsetAndMetadata old = before.get(entry.getKey());
                long end = ends.get(entry.getKey()).offset();
                replayed += end - entry.getValue().offset();
                System.out.printf("%s: %s -> %d (end %d)%n", entry.getKey(), old == null ? "none" : String.valueOf(old.offset()),
                        entry.getValue().offset(), end);
            }
            System.out.printf("consumer group %s moved to %s on %d partition(s) of %s: %d record(s) will be read again%n",
                    group, args[3], moved.size(), topic, replayed);
        }
    }

    /**
     * Waits until the group has no members. A consumer that was stopped cleanly leaves at once; one that was killed
     * stays a member until its session times out (45 s by default), which is why there is a wait at all.
     */
    private static void awaitInactive(Admin admin, String group, long waitSeconds) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(waitSeconds);
        boolean told = false;
        while (true) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            int members = description == null ? 0 : description.members().size();
            if (members == 0) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                fail(3, "consumer group " + group + " has " + members + " active member(s): stop the service first (Kafka "
                        + "moves only an inactive group; a killed consumer stays a member until its session times out)");
            }
            if (!told) {
                System.out.printf("waiting up to %d s for %d member(s) to leave consumer group %s%n", waitSeconds, members, group);
                told = true;
            }
            Thread.sleep(1000);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    private static OffsetSpec offsetSpec(String when) {
        if ("earliest".equals(when)) {
            return OffsetSpec.earliest();
        }
        try {
            return OffsetSpec.forTimestamp(Instant.parse(when).toEpochMilli());
        } catch (DateTimeParseException e) {
            fail(2, "not a point in time: '" + when + "' (expected ISO-8601 like 2026-11-30T09:00:00Z, or earliest)");
            return null;
        }
    }

    private static void fail(int code, String message) {
        System.err.println(message);
        System.exit(code);
    }
}
