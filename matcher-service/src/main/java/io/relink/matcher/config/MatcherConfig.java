package io.relink.matcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

@ConfigMapping(prefix = "relink.matcher")
public interface MatcherConfig {

    /** The SSO authentication policy; accounts already on it need no move. */
    String targetPolicy();

    /** The account's SCIM user carries the Entra object id: linked by the IdP itself. */
    @WithDefault("1.0")
    double immutableLinkConfidence();

    /** Confidence of a candidate found by exact normalized email = Entra mail. */
    @WithDefault("0.99")
    double mailConfidence();

    /** Confidence of a candidate found by exact normalized email = Entra userPrincipalName. */
    @WithDefault("0.95")
    double upnConfidence();

    /** Confidence of a candidate found through an Entra smtp: alias or a configured domain alias. */
    @WithDefault("0.9")
    double aliasConfidence();

    /** Confidence of evidence-only rules (otherMails, plus-addressing): never enough to match on their own. */
    @WithDefault("0.6")
    double evidenceConfidence();

    /**
     * Domain renames, {@code old.example=new.example[,old2=new2]}: an Atlassian address at the old domain is
     * looked up at the new one.
     */
    Optional<String> domainAliases();
}
