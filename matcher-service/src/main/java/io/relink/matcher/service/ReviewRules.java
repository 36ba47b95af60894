package io.relink.matcher.service;

/** Rule names of decisions made by people rather than by the rules. */
public final class ReviewRules {

    public static final String HUMAN_APPROVED = "HUMAN_APPROVED";
    public static final String HUMAN_OVERRIDE = "HUMAN_OVERRIDE";
    public static final String HUMAN_REJECTED = "HUMAN_REJECTED";

    private ReviewRules() {
    }
}
