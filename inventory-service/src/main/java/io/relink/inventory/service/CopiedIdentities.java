package io.relink.inventory.service;

import io.relink.inventory.repository.BulkSnapshotRepository;
import io.relink.support.json.JsonColumns;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Streams identities into a snapshot transaction's COPY (its records, or the staging table) as they are read: each is
 * serialized once (the JSON that is stored and published) and hashed (equal hashes mean "unchanged" in the diff).
 * Logs progress.
 */
final class CopiedIdentities implements IdentitySink {

    private static final Logger LOG = Logger.getLogger(CopiedIdentities.class);

    private final BulkSnapshotRepository.IdentityCopy copy;
    private final JsonColumns json;
    private final String label;
    private final long progressEvery;
    private final MessageDigest sha256;
    private long count;

    CopiedIdentities(BulkSnapshotRepository.IdentityCopy copy, JsonColumns json, String label, long progressEvery) {
        this.copy = copy;
        this.json = json;
        this.label = label;
        this.progressEvery = progressEvery;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void add(ParsedIdentity parsed) {
        String identity = json.write(parsed.identity());
        String hash = HexFormat.of().formatHex(sha256.digest(identity.getBytes(StandardCharsets.UTF_8)));
        copy.write(parsed.line(), parsed.identity().externalId(), parsed.identity().emailNormalized(), hash, identity);
        if (++count % progressEvery == 0) {
            LOG.infof("%s: %,d identities read", label, count);
        }
    }

    @Override
    public long count() {
        return count;
    }
}
