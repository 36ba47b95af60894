package io.relink.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Data of {@link EventTypes#IDENTITY_CHANGED_V1}.
 *
 * @param identity the identity as it is now; {@code null} when {@code change} is REMOVED
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IdentityChanged(
        String sourceName,
        SourceKind sourceKind,
        String snapshotId,
        long snapshotVersion,
        ChangeType change,
        String externalId,
        Identity identity) {
}
