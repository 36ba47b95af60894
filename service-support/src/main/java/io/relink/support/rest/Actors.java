package io.relink.support.rest;

import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;

/**
 * Who acts: the authenticated caller, as the token names them (SmallRye JWT: {@code upn}, else
 * {@code preferred_username}, else {@code sub}). Decisions, campaign changes and replays record it; a client cannot
 * name somebody else.
 */
public final class Actors {

    private static final int MAX_LENGTH = 200;

    private Actors() {
    }

    public static String of(SecurityContext security) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            // Unreachable behind @RolesAllowed; a bug if it happens, never an anonymous audit line.
            throw new IllegalStateException("no authenticated caller");
        }
        String actor = principal.getName().strip();
        return actor.length() > MAX_LENGTH ? actor.substring(0, MAX_LENGTH) : actor;
    }
}
