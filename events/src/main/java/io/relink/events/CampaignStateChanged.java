package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@link EventTypes#CAMPAIGN_STATE_CHANGED_V1}. {@code reason} says why (e.g. which exit criterion a wave breached). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignStateChanged(
        String campaignId,
        String name,
        String atlassianSource,
        String state,
        String previousState,
        String reason,
        String actor) {
}
