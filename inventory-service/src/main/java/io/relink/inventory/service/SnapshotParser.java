package io.relink.inventory.service;

import java.nio.file.Path;

/** Reads one upload format, streaming: one record of the file is in memory at a time. */
public interface SnapshotParser {

    /**
     * Puts every identity of the file into {@code sink}. Refuses the whole file
     * ({@link io.relink.support.rest.InvalidInputException} naming file, line, field and reason) when any
     * record is wrong or when it holds nothing; the caller then discards what the sink received.
     */
    void read(Path file, String fileName, IdentitySink sink);

    /** The whole file in memory, repeats set aside: for small files and tests. */
    default ParseResult parse(Path file, String fileName) {
        IdentityCollector collected = new IdentityCollector();
        read(file, fileName, collected);
        return collected.result();
    }
}
