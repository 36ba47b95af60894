package io.relink.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** Where the console finds the services it shows. */
@ConfigMapping(prefix = "relink.console")
public interface ConsoleConfig {

    /** Base URL per service, keyed by the name the console's pages use: inventory, matcher, executor. */
    Map<String, String> services();

    /** How long a service may take to answer before the console says it is unreachable. */
    @WithDefault("30s")
    Duration timeout();
}
