package io.relink.simulator.model;

/** An authentication policy of the organization. */
public record AuthPolicy(String id, String name, boolean sso) {
}
