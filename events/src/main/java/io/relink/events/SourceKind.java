package io.relink.events;

/** Where an identity comes from. */
public enum SourceKind {
    /** An account in an Atlassian Cloud organization (managed accounts export or Admin API). */
    ATLASSIAN,
    /** A user in a Microsoft Entra ID tenant (Graph /users or an Entra export). */
    ENTRA
}
