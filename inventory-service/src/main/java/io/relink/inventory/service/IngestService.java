package io.relink.inventory.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.events.ChangeType;
import io.relink.events.Identity;
import io.relink.inventory.Snapshot;
import io.relink.inventory.SnapshotRecord;
import io.relink.inventory.SnapshotStatus;
import io.relink.inventory.config.InventoryConfig;
import io.relink.support.messaging.OutboxEvent;
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
import java.util.Locale;
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
    private final EntraCsvParser entraCsv;
    private final AtlassianJsonParser atlassianJson;
    private final SourceRepository sources;
    private final SnapshotRepository snapshots;
    private final InventoryEvents events;
    private final JsonColumns json;
    private final Vertx vertx;
    private final InventoryConfig config;

    public IngestService(AtlassianCsvParser atlassianCsv, GraphUsersJsonParser graphJson, EntraCsvParser entraCsv,
                         AtlassianJsonParser atlassianJson, SourceRepository sources,
                         SnapshotRepository snapshots, InventoryEvents events, JsonColumns json, Vertx vertx,
                         InventoryConfig config) {
        this.atlassianCsv = atlassianCsv;
        this.graphJson = graphJson;
        this.entraCsv = entraCsv;
        this.atlassianJson = atlassianJson;
        this.sources = sources;
        this.snapshots = snapshots;
        this.events = events;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
    }

    public Uni<SnapshotReport> ingest(String sourceName, SourceFormat format, Path file, String fileName) {
        requireSourceName(sourceName);
        // Parsing is blocking file I/O: run it on a worker thread, continue on this request's context.
        return vertx.executeBlocking(Uni.createFrom().item(() -> parse(format, file, fileName)))
                .flatMap(parsed -> ingestParsed(sourceName, format, fileName, parsed));
    }

    /** Stores what a parser or a pull produced as the source's next snapshot, atomically. */
    public Uni<SnapshotReport> ingestParsed(String sourceName, SourceFormat format, String label, ParseResult parsed) {
        return ingestParsed(sourceName, format, label, parsed, report -> Uni.createFrom().voidItem());
    }

    /**
     * As {@link #ingestParsed(String, SourceFormat, String, ParseResult)}, running {@code alsoInTransaction}
     * (e.g. advancing a delta cursor) in the same transaction as the snapshot.
     */
    public Uni<SnapshotReport> ingestParsed(String sourceName, SourceFormat format, String label, ParseResult parsed,
                                            java.util.function.Function<SnapshotReport, Uni<Void>> alsoInTransaction) {
        requireSourceName(sourceName);
        return Panache.withTransaction(() -> store(sourceName, format, label, parsed)
                        .call(alsoInTransaction::apply))
                .invoke(report -> LOG.infof("Snapshot %s v%d of %s: %d identities, +%d ~%d -%d", report.id(),
                        report.version(), sourceName, report.total(), report.added(), report.changed(), report.removed()));
    }

    public static void requireSourceName(String sourceName) {
        if (sourceName == null || !SOURCE_NAME.matcher(sourceName).matches()) {
            throw InvalidInputException.of(null, null, "source",
                    "Source name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private ParseResult parse(SourceFormat format, Path file, String fileName) {
        return switch (format) {
            case ATLASSIAN_CSV -> atlassianCsv.parse(file, fileName);
            case GRAPH_JSON -> graphJson.parse(file, fileName);
            case ENTRA_CSV -> entraCsv.parse(file, fileName);
            case ATLASSIAN_JSON -> atlassianJson.parse(file, fileName);
            case ATLASSIAN_API, GRAPH_API, GRAPH_DELTA -> throw InvalidInputException.of(fileName, null, "format",
                    format.id() + " is pulled from the API, not uploaded");
        };
    }

    private Uni<SnapshotReport> store(String sourceName, SourceFormat format, String fileName, ParseResult parsed) {
        return sources.findForUpdate(sourceName)
                .flatMap(existing -> existing == null ? createSource(sourceName, format) : checkKind(existing, format))
                .flatMap(source -> snapshots.maxVersion(source.name).flatMap(maxVersion -> previousHashes(source)
                        .flatMap(previous -> persistSnapshot(source, format, fileName, parsed, previous, maxVersion + 1))));
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
                                                Map<String, String> previous, long version) {
        Snapshot snapshot = new Snapshot();
        snapshot.id = UUID.randomUUID();
        snapshot.sourceName = source.name;
        snapshot.version = version;
        snapshot.baseVersion = source.latestVersion;
        snapshot.format = format.id();
        snapshot.fileName = fileName;
        snapshot.createdAt = Instant.now();
        snapshot.duplicates = json.write(parsed.duplicates());

        List<Object> rows = new ArrayList<>(parsed.identities().size() * 2 + 2);
        List<Identity> identities = new ArrayList<>(parsed.identities().size());
        List<String> hashes = new ArrayList<>(parsed.identities().size());
        for (ParsedIdentity parsedIdentity : parsed.identities()) {
            Identity identity = parsedIdentity.identity();
            SnapshotRecord record = new SnapshotRecord();
            record.id = UUID.randomUUID();
            record.snapshotId = snapshot.id;
            record.externalId = identity.externalId();
            record.identity = json.write(identity);
            record.contentHash = sha256(record.identity);
            rows.add(record);
            identities.add(identity);
            hashes.add(record.contentHash);
        }
        List<OutboxEvent> changes = diff(source, snapshot, identities, hashes, previous);
        if (!previous.isEmpty() && snapshot.removed > config.maxRemovalShare() * previous.size()) {
            // Truncated-export guard: keep the data for inspection, publish nothing, wait for a person.
            snapshot.status = SnapshotStatus.PENDING_CONFIRMATION;
            snapshot.statusReason = String.format(Locale.ROOT, "Would remove %d of %d identities (%.0f%%), more than the "
                    + "%.0f%% allowed: a truncated export? Confirm with POST /api/snapshots/%s/confirm if it is complete, "
                    + "or reject it.", snapshot.removed, previous.size(), 100.0 * snapshot.removed / previous.size(),
                    100 * config.maxRemovalShare(), snapshot.id);
            LOG.warnf("Snapshot %s of %s held: %s", snapshot.id, source.name, snapshot.statusReason);
        } else {
            apply(source, snapshot, changes, rows);
        }
        // The snapshot row first: records reference it.
        return snapshots.persist(snapshot)
                .flatMap(saved -> Panache.getSession())
                .flatMap(session -> session.persistAll(rows.toArray()))
                .replaceWith(() -> toReport(snapshot, source, parsed.duplicates()));
    }

    /** Counts the diff against the previous applied version into the snapshot; returns the events announcing it. */
    private List<OutboxEvent> diff(Source source, Snapshot snapshot, List<Identity> identities, List<String> hashes,
                                   Map<String, String> previous) {
        snapshot.added = 0;
        snapshot.changed = 0;
        snapshot.removed = 0;
        snapshot.unchanged = 0;
        List<OutboxEvent> changes = new ArrayList<>();
        Set<String> present = new HashSet<>(identities.size() * 2);
        for (int i = 0; i < identities.size(); i++) {
            Identity identity = identities.get(i);
            present.add(identity.externalId());
            String before = previous.get(identity.externalId());
            if (before == null) {
                snapshot.added++;
                changes.add(events.identityChanged(source, snapshot, ChangeType.ADDED, identity.externalId(), identity));
            } else if (!before.equals(hashes.get(i))) {
                snapshot.changed++;
                changes.add(events.identityChanged(source, snapshot, ChangeType.CHANGED, identity.externalId(), identity));
            } else {
                snapshot.unchanged++;
            }
        }
        for (String externalId : previous.keySet()) {
            if (!present.contains(externalId)) {
                snapshot.removed++;
                changes.add(events.identityChanged(source, snapshot, ChangeType.REMOVED, externalId, null));
            }
        }
        snapshot.total = present.size();
        return changes;
    }

    /** Makes the snapshot the source's current version and queues its events, in the caller's transaction. */
    private void apply(Source source, Snapshot snapshot, List<OutboxEvent> changes, List<Object> rows) {
        snapshot.status = SnapshotStatus.APPLIED;
        rows.addAll(changes);
        rows.add(events.snapshotCompleted(source, snapshot));
        source.latestVersion = snapshot.version;
    }

    /** Applies a snapshot the truncated-export guard held, after a person confirmed the export is complete. */
    public Uni<SnapshotReport> confirm(UUID id) {
        return Panache.withTransaction(() -> pending(id).flatMap(snapshot -> sources.findForUpdate(snapshot.sourceName)
                .flatMap(source -> {
                    if (source.latestVersion != snapshot.baseVersion) {
                        throw new InvalidInputException(409, "Snapshot v" + snapshot.version + " was diffed against v"
                                + snapshot.baseVersion + ", but v" + source.latestVersion + " has been applied since: "
                                + "upload or pull again", List.of());
                    }
                    return previousHashes(source).flatMap(previous -> snapshots.records(snapshot.id).flatMap(records -> {
                        List<Identity> identities = records.stream().map(r -> json.read(r.identity, Identity.class)).toList();
                        List<String> hashes = records.stream().map(r -> r.contentHash).toList();
                        List<Object> rows = new ArrayList<>();
                        apply(source, snapshot, diff(source, snapshot, identities, hashes, previous), rows);
                        snapshot.statusReason = "Confirmed after the truncated-export guard held it";
                        return Panache.getSession().flatMap(session -> session.persistAll(rows.toArray()))
                                .replaceWith(() -> toReport(snapshot, source, json.read(snapshot.duplicates, DUPLICATES)));
                    }));
                })));
    }

    /** Discards a held snapshot: nothing is published, the source keeps its current version. */
    public Uni<SnapshotReport> reject(UUID id) {
        return Panache.withTransaction(() -> pending(id).flatMap(snapshot -> {
            snapshot.status = SnapshotStatus.REJECTED;
            snapshot.statusReason = "Rejected after the truncated-export guard held it";
            return sources.findById(snapshot.sourceName)
                    .map(source -> toReport(snapshot, source, json.read(snapshot.duplicates, DUPLICATES)));
        }));
    }

    private Uni<Snapshot> pending(UUID id) {
        return snapshots.findById(id).map(snapshot -> {
            if (snapshot == null) {
                throw new NotFoundException("No snapshot " + id);
            }
            if (snapshot.status != SnapshotStatus.PENDING_CONFIRMATION) {
                throw new InvalidInputException(409, "Snapshot " + id + " is " + snapshot.status + ", not pending confirmation",
                        List.of());
            }
            return snapshot;
        });
    }

    /**
     * The diff between two snapshots of one source; without {@code againstId}, against the version the
     * snapshot was diffed against when it arrived.
     */
    @WithSession
    public Uni<SnapshotDiff> diff(UUID id, UUID againstId, int limit) {
        return snapshots.findById(id).flatMap(to -> {
            if (to == null) {
                throw new NotFoundException("No snapshot " + id);
            }
            Uni<Snapshot> base = againstId != null ? snapshots.findById(againstId)
                    : to.baseVersion == 0 ? Uni.createFrom().nullItem() : snapshots.findVersion(to.sourceName, to.baseVersion);
            return base.flatMap(from -> {
                if (againstId != null && from == null) {
                    throw new NotFoundException("No snapshot " + againstId);
                }
                if (from != null && !from.sourceName.equals(to.sourceName)) {
                    throw InvalidInputException.of(null, null, "against", "Snapshot " + from.id + " belongs to source '"
                            + from.sourceName + "', not '" + to.sourceName + "'");
                }
                Uni<List<SnapshotRecord>> before = from == null ? Uni.createFrom().item(List.of()) : snapshots.records(from.id);
                return before.flatMap(fromRecords -> snapshots.records(to.id)
                        .map(toRecords -> compare(to, from, fromRecords, toRecords, limit)));
            });
        });
    }

    private SnapshotDiff compare(Snapshot to, Snapshot from, List<SnapshotRecord> fromRecords, List<SnapshotRecord> toRecords,
                                 int limit) {
        Map<String, SnapshotRecord> previous = new java.util.HashMap<>();
        fromRecords.forEach(r -> previous.put(r.externalId, r));
        List<SnapshotDiff.Entry> added = new ArrayList<>();
        List<SnapshotDiff.Entry> changed = new ArrayList<>();
        List<SnapshotDiff.Entry> removed = new ArrayList<>();
        int addedCount = 0;
        int changedCount = 0;
        int unchanged = 0;
        Set<String> present = new HashSet<>();
        for (SnapshotRecord record : toRecords) {
            present.add(record.externalId);
            SnapshotRecord old = previous.get(record.externalId);
            if (old == null) {
                if (addedCount++ < limit) {
                    added.add(new SnapshotDiff.Entry(record.externalId, null, json.read(record.identity, Identity.class)));
                }
            } else if (!old.contentHash.equals(record.contentHash)) {
                if (changedCount++ < limit) {
                    changed.add(new SnapshotDiff.Entry(record.externalId, json.read(old.identity, Identity.class),
                            json.read(record.identity, Identity.class)));
                }
            } else {
                unchanged++;
            }
        }
        int removedCount = 0;
        for (SnapshotRecord old : fromRecords) {
            if (!present.contains(old.externalId) && removedCount++ < limit) {
                removed.add(new SnapshotDiff.Entry(old.externalId, json.read(old.identity, Identity.class), null));
            }
        }
        return new SnapshotDiff(to.sourceName, from == null ? null : new SnapshotDiff.Side(from.id, from.version),
                new SnapshotDiff.Side(to.id, to.version), addedCount, changedCount, removedCount, unchanged,
                added, changed, removed);
    }

    /** The identities of the source's current (applied) version, for incremental pulls to build on. */
    @WithSession
    public Uni<List<Identity>> currentIdentities(String sourceName) {
        return sources.findById(sourceName).flatMap(source -> {
            if (source == null || source.latestVersion == 0) {
                return Uni.createFrom().item(List.<Identity>of());
            }
            return snapshots.findVersion(source.name, source.latestVersion)
                    .flatMap(snapshot -> snapshots.records(snapshot.id))
                    .map(records -> records.stream().map(r -> json.read(r.identity, Identity.class)).toList());
        });
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
        return new SnapshotReport(s.id, s.sourceName, source.kind, s.version, s.status, s.statusReason, s.format, s.fileName,
                s.total, s.added,
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
