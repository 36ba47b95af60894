package io.relink.executor.service;

import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import io.relink.executor.CampaignWave;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** A campaign as the API shows it: settings, state, counts per user state and per wave, progress. */
public record CampaignView(UUID id, String name, String atlassianSource, String state, String stateReason,
                           String targetPolicyId, String targetPolicyName, String scopeKind, String scopeId,
                           int canarySize, int waveSize, double maxFailureRate, long maxWaveSeconds, boolean continuous,
                           boolean autoApprove, int waves, int moves,
                           int excluded, Map<String, Long> users, List<Wave> waveProgress, Progress progress,
                           String createdBy, Instant createdAt, Instant startedAt, Instant finishedAt) {

    public record Wave(int number, int size, String state, Instant startedAt, Instant finishedAt, String outcome,
                       Map<String, Long> users) {
        static Wave of(CampaignWave wave, Map<CampaignUser.State, Long> counts) {
            return new Wave(wave.number, wave.size, wave.state.name(), wave.startedAt, wave.finishedAt, wave.outcome,
                    CampaignService.named(counts));
        }
    }

    /**
     * @param remaining  users still to move
     * @param perMinute  moves per minute over the last 5 minutes
     * @param etaSeconds remaining / perMinute; null until something moved
     */
    public record Progress(long remaining, double perMinute, Long etaSeconds, CampaignService.Projection projection) {
    }

    public record User(int position, Integer wave, String accountId, String email, String displayName, String idpUserId,
                       String fromPolicy, String state, String category, String reason, String errorClass, String lastError,
                       int attempts, Boolean scopeAdded, Instant movedAt, List<PlannedStep> steps) {
        static User of(CampaignUser u, List<PlannedStep> steps) {
            return new User(u.position, u.wave, u.accountId, u.email, u.displayName, u.idpUserId,
                    u.originalPolicyName != null ? u.originalPolicyName : u.plannedFromPolicy, u.state.name(), u.category,
                    u.reason, u.errorClass, u.lastError, u.attempts, u.scopeAdded, u.movedAt, steps);
        }
    }

    static CampaignView of(Campaign c, Map<CampaignUser.State, Long> counts, List<Wave> waves, Progress progress) {
        return new CampaignView(c.id, c.name, c.atlassianSource, c.state.name(), c.stateReason, c.targetPolicyId,
                c.targetPolicyName, c.scopeKind.name(), c.scopeId, c.canarySize, c.waveSize, c.maxFailureRate,
                c.maxWaveSeconds, c.continuous, c.autoApprove, c.waves, c.moves, c.excluded, CampaignService.named(counts), waves, progress,
                c.createdBy, c.createdAt, c.startedAt, c.finishedAt);
    }

    /** Plain text for terminals: what `./relink campaign status` prints. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Campaign %s  %s%n", name, id));
        text.append(String.format(Locale.ROOT, "  state     %s%s%n", state, stateReason == null ? "" : " — " + stateReason));
        text.append(String.format(Locale.ROOT, "  source    %s -> policy '%s' via %s %s%n", atlassianSource, targetPolicyName,
                scopeKind, scopeId));
        text.append(String.format(Locale.ROOT, "  plan      %d moves in %d waves (canary %d, then %d per wave), %d excluded;"
                + " halt above %.1f%% failures%n", moves, waves, canarySize, waveSize, excluded, maxFailureRate * 100));
        if (continuous) {
            text.append(String.format(Locale.ROOT, "  intake    continuous: newly matched accounts %s%n",
                    autoApprove ? "join the next wave automatically" : "wait for approval (./relink campaign approve)"));
        }
        if (progress != null) {
            text.append(String.format(Locale.ROOT, "  progress  %d to go, %.1f moves/min, ETA %s (projected total %s)%n",
                    progress.remaining(), progress.perMinute(), CampaignService.formatDuration(progress.etaSeconds()),
                    progress.projection() == null ? "-" : CampaignService.formatDuration(progress.projection().totalSeconds())));
        }
        if (!users.isEmpty()) {
            text.append("  users    ");
            users.forEach((state, count) -> text.append(' ').append(state).append('=').append(count));
            text.append(System.lineSeparator());
        }
        for (Wave wave : waveProgress) {
            text.append(String.format(Locale.ROOT, "  wave %-3d %-9s %5d users ", wave.number(), wave.state(), wave.size()));
            wave.users().forEach((state, count) -> text.append(' ').append(state).append('=').append(count));
            if (wave.outcome() != null) {
                text.append("  (").append(wave.outcome()).append(')');
            }
            text.append(System.lineSeparator());
        }
        return text.toString();
    }
}
