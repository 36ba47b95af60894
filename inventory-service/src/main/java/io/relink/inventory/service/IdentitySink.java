package io.relink.inventory.service;

/**
 * Where a parser or a pull puts each identity it reads: the bulk snapshot writer (streamed to the database,
 * bounded memory) or an {@link IdentityCollector} (in memory, for small pulls and tests).
 */
public interface IdentitySink {

    void add(ParsedIdentity identity);

    /** Identities added so far, repeats included. */
    long count();
}
