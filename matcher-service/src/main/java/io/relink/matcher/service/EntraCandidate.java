package io.relink.matcher.service;

import io.relink.matcher.IndexedIdentity;

import java.util.List;

/** An Entra user as the rules see it: the indexed row plus its alias and otherMails lists. */
public record EntraCandidate(IndexedIdentity user, List<String> aliases, List<String> otherMails) {
}
