package io.relink.matcher.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.events.MatchOutcome;
import io.relink.matcher.Decision;
import io.relink.support.json.JsonColumns;
import io.relink.matcher.repository.DecisionRepository;
import io.relink.matcher.repository.IdentityRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Read side of the matcher: decisions and the match report. */
@ApplicationScoped
public class MatchQueryService {

    private final DecisionRepository decisions;
    private final IdentityRepository identities;
    private final JsonColumns json;

    public MatchQueryService(DecisionRepository decisions, IdentityRepository identities, JsonColumns json) {
        this.decisions = decisions;
        this.identities = identities;
        this.json = json;
    }

    @WithSession
    public Uni<List<Decision>> list(String source, MatchOutcome outcome, int offset, int limit) {
        return decisions.list(source, outcome, offset, limit);
    }

    @WithSession
    public Uni<Long> identityCount(String source) {
        return identities.countBySource(source);
    }

    @WithSession
    public Uni<MatchReport> report(String source) {
        return decisions.countByOutcome(source).flatMap(outcomes -> decisions.rulesAndFlags(source).map(rows -> {
            Map<String, Long> byRule = new TreeMap<>();
            Map<String, Long> byBlocker = new TreeMap<>();
            for (Object[] row : rows) {
                if (row[0] != null) {
                    byRule.merge((String) row[0], 1L, Long::sum);
                }
                json.read((String) row[1], JsonColumns.STRING_LIST).forEach(flag -> byBlocker.merge(flag, 1L, Long::sum));
            }
            Map<MatchOutcome, Long> byOutcome = MatchService.allOutcomes(outcomes);
            long total = byOutcome.values().stream().mapToLong(Long::longValue).sum();
            return new MatchReport(source, total, byOutcome, byRule, byBlocker);
        }));
    }

    public record MatchReport(String source, long total, Map<MatchOutcome, Long> outcomes, Map<String, Long> rules,
                              Map<String, Long> blockers) {

        public String toText() {
            StringBuilder text = new StringBuilder();
            text.append(String.format("  %-16s %8d%n", "accounts", total));
            outcomes.forEach((outcome, count) -> text.append(String.format("  %-16s %8d%n", outcome, count)));
            if (!blockers.isEmpty()) {
                text.append("  blockers on MATCHED accounts:\n");
                blockers.forEach((flag, count) -> text.append(String.format("    %-22s %6d%n", flag, count)));
            }
            return text.toString();
        }
    }
}
