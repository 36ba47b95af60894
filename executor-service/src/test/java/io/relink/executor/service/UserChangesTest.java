package io.relink.executor.service;

import io.relink.executor.Campaign;
import io.relink.executor.CampaignUser;
import io.relink.support.client.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class UserChangesTest {

    @Test
    void aFailedCallDeadLettersTheUser() {
        UserChanges changes = changes();
        CampaignUser user = user(CampaignUser.State.SCOPE_IN_FLIGHT);
        changes.track(List.of(user));

        changes.failed(user, CampaignUser.Step.ADD_TO_SCOPE, new ApiException("Graph answered 503", 503, "SERVER_ERROR"), Instant.now());

        assertThat(user.state).isEqualTo(CampaignUser.State.FAILED);
        assertThat(changes.deadLetters).singleElement().satisfies(letter -> assertThat(letter.errorClass).isEqualTo("SERVER_ERROR"));
    }

    @Test
    void callsPausedByAnOpenCircuitKeepTheUserWhereItWasWithoutADeadLetter() {
        UserChanges changes = changes();
        CampaignUser user = user(CampaignUser.State.SCOPE_IN_FLIGHT);
        changes.track(List.of(user));

        changes.failed(user, CampaignUser.Step.ADD_TO_SCOPE, new ApiException("GRAPH is failing repeatedly; calls are paused "
                + "(circuit open)", 0, ApiException.CIRCUIT_OPEN), Instant.now());

        assertThat(user.state).as("in flight: the in-flight check reads the group, then adds or moves on")
                .isEqualTo(CampaignUser.State.SCOPE_IN_FLIGHT);
        assertThat(user.lastError).contains("circuit open");
        assertThat(changes.deadLetters).isEmpty();
        assertThat(changes.events).isEmpty();
    }

    private static UserChanges changes() {
        Campaign campaign = new Campaign();
        campaign.id = UUID.randomUUID();
        campaign.targetPolicyName = "Entra SSO";
        return new UserChanges(campaign);
    }

    private static CampaignUser user(CampaignUser.State state) {
        CampaignUser user = new CampaignUser();
        user.id = UUID.randomUUID();
        user.accountId = "acc-1";
        user.email = "ada@example.com";
        user.wave = 2;
        user.state = state;
        return user;
    }
}
