package io.relink.inventory.service;

import io.relink.events.Identity;

/** One identity read from an upload, with the input line it came from (for error reports). */
public record ParsedIdentity(long line, Identity identity) {
}
