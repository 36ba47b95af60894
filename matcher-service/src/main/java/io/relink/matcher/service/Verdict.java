package io.relink.matcher.service;

import io.relink.events.MatchDecided;
import io.relink.events.MatchOutcome;
import io.relink.matcher.IndexedIdentity;

import java.util.List;

/**
 * What the rules concluded for one Atlassian account.
 *
 * @param candidate the Entra user when the outcome is MATCHED, otherwise {@code null}
 */
public record Verdict(MatchOutcome outcome, IndexedIdentity candidate, double confidence, String rule,
                      List<MatchDecided.Evidence> evidence, List<String> flags, String reason) {
}
