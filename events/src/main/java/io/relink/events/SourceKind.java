package io.relink.events;

/** Where an identity comes from. */
public enum SourceKind {
    /** An account in an Atlassian Cloud organization (managed accounts export or Admin API). */
    ATLASSIAN,
    /** A user in a Microsoft Entra ID tenant (Graph /users or an Entra export). */
    ENTRA,
    /**
     * A user of an Atlassian SCIM provisioning directory (SCIM /Users listing or a saved response): what the
     * IdP already provisioned and which Atlassian account each is linked to. Added in v1.
     */
    SCIM
}
