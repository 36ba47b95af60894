package io.relink.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "relink.inventory")
public interface InventoryConfig {

    /** How many input errors one refusal lists before it stops reading (the rest is summarised). */
    @WithDefault("100")
    int maxReportedErrors();

    /** Longest accepted field, in characters; longer fields are refused (bounded memory). */
    @WithDefault("4096")
    int maxFieldLength();
}
