package io.relink.executor.config;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "relink.executor")
public interface ExecutorConfig {

    /** Display name of the SSO authentication policy accounts are moved to. */
    String targetPolicy();

    /** Id of that policy in the Atlassian Control API. */
    String targetPolicyId();

    String atlassianOrgId();

    String scimDirectoryId();

    /** The Entra group that is assigned to the Atlassian enterprise app (the provisioning scope). */
    String entraScopeGroupId();
}
