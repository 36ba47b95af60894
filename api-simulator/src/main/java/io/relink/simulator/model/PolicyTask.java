package io.relink.simulator.model;

import java.util.ArrayList;
import java.util.List;

/** An asynchronous add-users-to-policy task of the Control API. */
public final class PolicyTask {

    public final String id;
    public final String policyId;
    public final List<String> users;
    public boolean done;
    public int successCount;
    public final List<Failure> failures = new ArrayList<>();

    public PolicyTask(String id, String policyId, List<String> users) {
        this.id = id;
        this.policyId = policyId;
        this.users = List.copyOf(users);
    }

    /** One user the task could not move, and why. */
    public record Failure(String email, String reason) {
    }
}
