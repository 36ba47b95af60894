package io.relink.executor.service;

import io.relink.executor.PlanItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A plan as the API shows it: totals, counts per category, and one page of items.
 *
 * @param dryRun always true for now: plans are built without calling any external API
 */
public record PlanView(UUID id, String name, String atlassianSource, String targetPolicy, boolean dryRun, int moves,
                       int excluded, Map<String, Long> categories, Instant createdAt, int offset, List<Item> items) {

    public record Item(int position, String accountId, String email, String displayName, String idpUserId,
                       String fromPolicy, String toPolicy, PlanItem.Action action, String category, String reason,
                       List<PlannedStep> steps) {
    }

    /** Plain-text rendering for terminals (the demo prints it). */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("  %s — %d moves to '%s', %d excluded (dry run: nothing was called)%n",
                name, moves, targetPolicy, excluded));
        if (categories != null) {
            categories.forEach((category, count) -> text.append(String.format("    %-16s %6d%n", category, count)));
        }
        text.append(String.format("%n  %5s  %-42s %-18s %-14s %s%n", "#", "account", "from", "to", "API calls"));
        for (Item item : items) {
            String calls = item.steps().isEmpty() ? item.reason()
                    : String.join(" -> ", item.steps().stream().map(PlannedStep::action).toList());
            text.append(String.format("  %5d  %-42s %-18s %-14s %s%n", item.position(), truncate(item.email(), 42),
                    truncate(item.fromPolicy(), 18), truncate(item.toPolicy() == null ? "-" : item.toPolicy(), 14), calls));
        }
        return text.toString();
    }

    private static String truncate(String value, int width) {
        if (value == null) {
            return "";
        }
        return value.length() <= width ? value : value.substring(0, width - 1) + "…";
    }
}
