package io.relink.inventory.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.events.ChangeType;
import io.relink.events.Identity;
import io.relink.inventory.Snapshot;
import io.relink.inventory.SnapshotRecord;
import io.relink.inventory.messaging.InventoryEvents;
import io.relink.inventory.Source;
import io.relink.inventory.repository.SnapshotRepository;
import io.relink.inventory.repository.SourceRepository;
import io.relink.support.json.JsonColumns;
import io.relink.support.rest.InvalidInputException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns an uploaded directory export into a new snapshot version: parse (off the event loop), diff
 * against the previous version, then persist the snapshot, its records and one event per change in a
 * single transaction. A refused upload changes nothing.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);
    private static final TypeReference<List<ParseResult.Duplicate>> DUPLICATES = new TypeReference<>() {
    };
    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final AtlassianCsvParser atlassianCsv;
    private final GraphUsersJsonParser graphJson;
    private final SourceRepository sources;
    private final SnapshotRepository snapshots;
    private final InventoryEvents events;
    private final JsonColumns json;
    private final Vertx vertx;

    public IngestService(AtlassianCsvParser atlassianCsv, GraphUsersJsonParser graphJson, SourceRepository sources,
                         SnapshotRepository snapshots, InventoryEvents events, JsonColumns json, Vertx vertx) {
        this.atlassianCsv = atlassianCsv;
        this.graphJson = graphJson;
        this.sources = sources;
        this.snapshots = snapshots;
        this.events = events;
        this.json = json;
        this.vertx = vertx;
    }

    public Uni<SnapshotReport> ingest(String sourceName, SourceFormat format, Path file, String fileName) {
        requireSourceName(sourceName);
        // Parsing is blocking file I/O: run it on a worker thread, continue on this request's context.
        return vertx.executeBlocking(Uni.createFrom().item(() -> parse(format, file, fileName)))
                .flatMap(parsed -> ingestParsed(sourceName, format, fileName, parsed));
    }

    /** Stores what a parser or a pull produced as the source's next snapshot, atomically. */
    public Uni<SnapshotReport> ingestParsed(String sourceName, SourceFormat format, String label, ParseResult parsed) {
        requireSourceName(sourceName);
        return Panache.withTransaction(() -> store(sourceName, format, label, parsed))
                .invoke(report -> LOG.infof("Snapshot %s v%d of %s: %d identities, +%d ~%d -%d", report.id(),
                        report.version(), sourceName, report.total(), report.added(), report.changed(), report.removed()));
    }

    static void requireSourceName(String sourceName) {
        if (sourceName == null || !SOURCE_NAME.matcher(sourceName).matches()) {
            throw InvalidInputException.of(null, null, "source",
                    "Source name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private ParseResult parse(SourceFormat format, Path file, String fileName) {
        return switch (format) {
            case ATLASSIAN_CSV -> atlassianCsv.parse(file, fileName);
            case GRAPH_JSON -> graphJson.parse(file, fileName);
            case ATLASSIAN_API, GRAPH_API -> throw InvalidInputException.of(fileName, null, "format",
                    format.id() + " is pulled from the API, not uploaded");
        };
    }

    private Uni<SnapshotReport> store(String sourceName, SourceFormat format, String fileName, ParseResult parsed) {
        return sources.findForUpdate(sourceName)
                .flatMap(existing -> existing == null ? createSource(sourceName, format) : checkKind(existing, format))
                .flatMap(source -> previousHashes(source)
                        .flatMap(previous -> persistSnapshot(source, format, fileName, parsed, previous)));
    }

    private Uni<Source> createSource(String name, SourceFormat format) {
        Source source = new Source();
        source.name = name;
        source.kind = format.kind();
        source.createdAt = Instant.now();
        source.latestVersion = 0;
        return sources.persist(source);
    }

    private static Uni<Source> checkKind(Source source, SourceFormat format) {
        if (source.kind != format.kind()) {
            throw new InvalidInputException(409, "Source '" + source.name + "' holds " + source.kind
                    + " identities; format " + format.id() + " brings " + format.kind(), List.of());
        }
        return Uni.createFrom().item(source);
    }

    private Uni<Map<String, String>> previousHashes(Source source) {
        if (source.latestVersion == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return snapshots.findVersion(source.name, source.latestVersion)
                .flatMap(previous -> snapshots.contentHashes(previous.id));
    }

    private Uni<SnapshotReport> persistSnapshot(Source source, SourceFormat format, String fileName, ParseResult parsed,
                                                Map<String, String> previous) {
        Snapshot snapshot = new Snapshot();
        snapshot.id = UUID.randomUUID();
        snapshot.sourceName = source.name;
        snapshot.version = source.latestVersion + 1;
        snapshot.format = format.id();
        snapshot.fileName = fileName;
        snapshot.createdAt = Instant.now();
        snapshot.duplicates = json.write(parsed.duplicates());

        List<Object> rows = new ArrayList<>(parsed.identities().size() * 2 + 2);
        Set<String> present = new HashSet<>(parsed.identities().size() * 2);
        for (ParsedIdentity parsedIdentity : parsed.identities()) {
            Identity identity = parsedIdentity.identity();
            SnapshotRecord record = new SnapshotRecord();
            record.id = UUID.randomUUID();
            record.snapshotId = snapshot.id;
            record.externalId = identity.externalId();
            record.identity = json.write(identity);
            record.contentHash = sha256(record.identity);
            rows.add(record);
            present.add(identity.externalId());

            String before = previous.get(identity.externalId());
            if (before == null) {
                snapshot.added++;
                rows.add(events.identityChanged(source, snapshot, ChangeType.ADDED, identity.externalId(), identity));
            } else if (!before.equals(record.contentHash)) {
                snapshot.changed++;
                rows.add(events.identityChanged(source, snapshot, ChangeType.CHANGED, identity.externalId(), identity));
            } else {
                snapshot.unchanged++;
            }
        }
        for (String externalId : previous.keySet()) {
            if (!present.contains(externalId)) {
                snapshot.removed++;
                rows.add(events.identityChanged(source, snapshot, ChangeType.REMOVED, externalId, null));
            }
        }
        snapshot.total = present.size();
        rows.add(events.snapshotCompleted(source, snapshot));
        source.latestVersion = snapshot.version;

        // The snapshot row first: records reference it.
        return snapshots.persist(snapshot)
                .flatMap(saved -> Panache.getSession())
                .flatMap(session -> session.persistAll(rows.toArray()))
                .replaceWith(() -> toReport(snapshot, source, parsed.duplicates()));
    }

    @WithSession
    public Uni<List<Source>> listSources() {
        return sources.listByName();
    }

    @WithSession
    public Uni<List<SnapshotReport>> listSnapshots(String sourceName) {
        return sources.findById(sourceName).flatMap(source -> {
            if (source == null) {
                throw new NotFoundException("No source named '" + sourceName + "'");
            }
            return snapshots.listForSource(sourceName)
                    .map(list -> list.stream().map(s -> toReport(s, source, json.read(s.duplicates, DUPLICATES))).toList());
        });
    }

    @WithSession
    public Uni<SnapshotReport> report(UUID id) {
        return snapshots.findById(id).flatMap(snapshot -> {
            if (snapshot == null) {
                throw new NotFoundException("No snapshot " + id);
            }
            return sources.findById(snapshot.sourceName)
                    .map(source -> toReport(snapshot, source, json.read(snapshot.duplicates, DUPLICATES)));
        });
    }

    private static SnapshotReport toReport(Snapshot s, Source source, List<ParseResult.Duplicate> duplicates) {
        return new SnapshotReport(s.id, s.sourceName, source.kind, s.version, s.format, s.fileName, s.total, s.added,
                s.changed, s.removed, s.unchanged, duplicates, s.createdAt);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
