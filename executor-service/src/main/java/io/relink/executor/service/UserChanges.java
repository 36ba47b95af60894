package io.relink.executor.service;

import io.relink.events.CampaignUserChanged;
import io.relink.events.EventTypes;
import io.relink.events.StepDeadLettered;
import io.relink.events.Topics;
import io.relink.executor.AuditEntry;
import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import io.relink.executor.DeadLetter;
import io.relink.support.client.ApiException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one batch of work changed: user states (each applied only if the user is still in the state it was read in),
 * dead letters, events for the outbox and audit entries — committed together by {@link CampaignEngine}.
 */
final class UserChanges {

    /** An event to publish if, and only if, the change of {@code userId} is applied. */
    record Event(UUID userId, String topic, String key, String type, Object data) {
    }

    final Campaign campaign;
    final Map<UUID, CampaignUser> users = new HashMap<>();
    final Map<UUID, CampaignUser.State> expected = new HashMap<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<AuditEntry> audit = new ArrayList<>();

    UserChanges(Campaign campaign) {
        this.campaign = campaign;
    }

    /** Starts tracking users as read: their changes are applied only if nobody changed them meanwhile. */
    UserChanges track(List<CampaignUser> batch) {
        batch.forEach(user -> {
            users.put(user.id, user);
            expected.putIfAbsent(user.id, user.state);
        });
        return this;
    }

    boolean isEmpty() {
        return users.isEmpty() && audit.isEmpty();
    }

    void moved(CampaignUser user, Instant now) {
        user.state = CampaignUser.State.MOVED;
        user.movedAt = now;
        user.errorClass = null;
        user.lastError = null;
        userEvent(user, "Moved to '" + campaign.targetPolicyName + "'");
    }

    void skipped(CampaignUser user, String detail) {
        user.state = CampaignUser.State.SKIPPED;
        user.reason = detail;
        userEvent(user, detail);
    }

    void rolledBack(CampaignUser user, boolean ok, String detail) {
        user.state = ok ? CampaignUser.State.ROLLED_BACK : CampaignUser.State.ROLLBACK_FAILED;
        user.lastError = ok ? null : detail;
        user.reason = detail;
        userEvent(user, detail);
    }

    /** The step failed for good: the user leaves the wave's work and goes to the dead letters. */
    void failed(CampaignUser user, CampaignUser.Step step, String errorClass, String reason, int attempts, Instant now) {
        user.state = step == CampaignUser.Step.ROLLBACK ? CampaignUser.State.ROLLBACK_FAILED : CampaignUser.State.FAILED;
        user.errorClass = errorClass;
        user.lastError = reason;
        user.attempts += attempts;
        DeadLetter letter = new DeadLetter();
        letter.id = UUID.randomUUID();
        letter.campaignId = campaign.id;
        letter.userId = user.id;
        letter.wave = user.wave;
        letter.accountId = user.accountId;
        letter.email = user.email;
        letter.step = step.name();
        letter.errorClass = errorClass;
        letter.reason = reason;
        letter.attempts = user.attempts;
        letter.failedAt = now;
        deadLetters.add(letter);
        events.add(new Event(user.id, Topics.CAMPAIGN_DEAD_LETTERS, campaign.id + "/" + user.accountId, EventTypes.STEP_DEAD_LETTERED_V1,
                new StepDeadLettered(letter.id.toString(), campaign.id.toString(), user.wave, user.accountId, user.email,
                        letter.step, errorClass, reason, letter.attempts)));
        userEvent(user, step + " failed: " + reason);
    }

    /**
     * The step failed: for good (dead letter) unless the API's calls are paused by its open circuit. Then the user
     * keeps its state and is tried again on a later tick (a user in flight after the in-flight check, which reads
     * what the vendor has): a vendor outage pauses a campaign instead of failing every user it reaches.
     */
    void failed(CampaignUser user, CampaignUser.Step step, Throwable failure, Instant now) {
        if (failure instanceof ApiException api && api.callsPaused()) {
            user.lastError = api.getMessage();
            return;
        }
        if (failure instanceof ApiException api) {
            failed(user, step, api.errorClass(), api.getMessage(), api.attempts(), now);
        } else {
            failed(user, step, "INTERNAL", String.valueOf(failure.getMessage()), 1, now);
        }
    }

    private void userEvent(CampaignUser user, String detail) {
        events.add(new Event(user.id, Topics.CAMPAIGN, campaign.id.toString(), EventTypes.CAMPAIGN_USER_CHANGED_V1,
                new CampaignUserChanged(campaign.id.toString(), user.wave, user.accountId, user.email, user.state.name(),
                        user.originalPolicyName == null ? user.plannedFromPolicy : user.originalPolicyName,
                        campaign.targetPolicyName, detail)));
    }
}
