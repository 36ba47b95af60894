package io.relink.matcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "relink.matcher")
public interface MatcherConfig {

    /** The SSO authentication policy; accounts already on it need no move. */
    String targetPolicy();

    /** Confidence of a candidate found by exact normalized email = Entra mail. */
    @WithDefault("0.99")
    double mailConfidence();

    /** Confidence of a candidate found by exact normalized email = Entra userPrincipalName. */
    @WithDefault("0.95")
    double upnConfidence();
}
