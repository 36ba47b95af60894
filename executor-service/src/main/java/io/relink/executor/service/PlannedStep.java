package io.relink.executor.service;

/**
 * One API call a move will make, exactly as it will be made. A dry run lists these and calls nothing.
 *
 * @param api    GRAPH, ATLASSIAN_SCIM or ATLASSIAN_ADMIN
 * @param action what the call achieves, e.g. ADD_TO_ENTRA_SCOPE
 */
public record PlannedStep(int order, String action, String api, String method, String path, String body,
                          String description) {
}
