package io.relink.executor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "relink.executor")
public interface ExecutorConfig {

    /** Display name of the SSO authentication policy accounts are moved to (a campaign may name another). */
    String targetPolicy();

    /** Id of that policy in the Atlassian Control API. */
    String targetPolicyId();

    /** The Entra group that is assigned to the Atlassian enterprise app (the provisioning scope). */
    String entraScopeGroupId();

    /** Defaults of a new campaign; each campaign may set its own. */
    CampaignDefaults campaigns();

    Engine engine();

    interface CampaignDefaults {
        /** Users in the first (canary) wave. */
        @WithDefault("5")
        int canarySize();

        @WithDefault("100")
        int waveSize();

        /** A wave whose failed share exceeds this halts the campaign. */
        @WithDefault("0.05")
        double maxFailureRate();

        /** A wave still running after this long halts the campaign. */
        @WithDefault("2h")
        Duration maxWaveDuration();
    }

    interface Engine {
        /** How often running campaigns are advanced (a tick still running when the next is due is skipped). */
        @WithDefault("100ms")
        Duration tick();

        /** First tick after start-up (lets the Kafka channels connect). */
        @WithDefault("2s")
        Duration startDelay();

        /** How long one replica keeps a campaign to itself; another takes over when it expires (e.g. after a crash). */
        @WithDefault("30s")
        Duration lease();

        /**
         * A user left "in flight" (a call may have been sent, its answer not recorded) for longer than this was
         * interrupted by a crash: its state is read back from the API before anything is sent again.
         */
        @WithDefault("30s")
        Duration inFlightGrace();

        /** Batches of each kind started per tick and campaign (they run concurrently, under the rate limits). */
        @WithDefault("10")
        int batchesPerTick();

        /** Users per policy bulk-fetch and per add-users call. */
        @WithDefault("100")
        int policyBatchSize();

        /** SCIM link checks per tick and campaign. */
        @WithDefault("200")
        int linkChecksPerTick();

        /** First SCIM check after a user entered the scope; doubles up to {@link #linkCheckMaxInterval()}. */
        @WithDefault("20s")
        Duration linkCheckFirst();

        @WithDefault("5m")
        Duration linkCheckMaxInterval();

        /** Entra provisions in cycles (about every 40 minutes); no link after this long fails the user. */
        @WithDefault("2h")
        Duration linkTimeout();

        /** Expected wait for Entra provisioning, used only to project a dry run's duration. */
        @WithDefault("40m")
        Duration expectedProvisioningDelay();

        @WithDefault("2s")
        Duration taskPollInterval();

        /** How often a running campaign's Prometheus gauges are recounted. */
        @WithDefault("5s")
        Duration metricsRefresh();
    }
}
