package io.relink.support.client;

/**
 * Which API, of which tenant, a call goes to: rate limits and circuit breakers are kept per target.
 *
 * @param api    e.g. "graph", "atlassian-admin", "atlassian-scim"
 * @param tenant the organization, directory or Entra tenant the limit applies to
 */
public record ApiTarget(String api, String tenant, ClientsConfig.RateLimit rateLimit) {

    String key() {
        return api + "/" + tenant;
    }
}
