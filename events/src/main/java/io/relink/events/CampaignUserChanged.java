package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@link EventTypes#CAMPAIGN_USER_CHANGED_V1}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignUserChanged(
        String campaignId,
        Integer wave,
        String accountId,
        String email,
        String state,
        String fromPolicy,
        String toPolicy,
        String detail) {
}
