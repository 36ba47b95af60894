package io.relink.inventory.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.relink.events.ChangeType;
import io.relink.events.Identity;
import io.relink.events.SourceKind;
import io.relink.inventory.Snapshot;
import io.relink.inventory.SnapshotStatus;
import io.relink.inventory.config.InventoryConfig;
import io.relink.inventory.messaging.SnapshotPublisher;
import io.relink.inventory.Source;
import io.relink.inventory.repository.BulkSnapshotRepository;
import io.relink.inventory.repository.SnapshotRepository;
import io.relink.inventory.repository.SourceRepository;
import io.relink.support.json.JsonColumns;
import io.relink.support.messaging.TraceContext;
import io.relink.support.rest.InvalidInputException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Turns an uploaded directory export into a new snapshot version: parse (off the event loop), diff
 * against the previous version, then persist the snapshot, its records and the publication of its changes in a
 * single transaction. A refused upload changes nothing.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);
    private static final TypeReference<List<BulkSnapshotRepository.Duplicate>> DUPLICATES = new TypeReference<>() {
    };
    private static final TypeReference<List<BulkSnapshotRepository.SharedEmail>> SHARED_EMAILS = new TypeReference<>() {
    };
    private final AtlassianCsvParser atlassianCsv;
    private final GraphUsersJsonParser graphJson;
    private final EntraCsvParser entraCsv;
    private final AtlassianJsonParser atlassianJson;
    private final ScimUsersJsonParser scimJson;
    private final SourceRepository sources;
    private final SnapshotRepository snapshots;
    private final BulkSnapshotRepository bulk;
    private final TraceContext traces;
    private final SnapshotPublisher publisher;
    private final JsonColumns json;
    private final Vertx vertx;
    private final InventoryConfig config;

    public IngestService(AtlassianCsvParser atlassianCsv, GraphUsersJsonParser graphJson, EntraCsvParser entraCsv,
                         AtlassianJsonParser atlassianJson, ScimUsersJsonParser scimJson, SourceRepository sources,
                         SnapshotRepository snapshots, BulkSnapshotRepository bulk, TraceContext traces, SnapshotPublisher publisher,
                         JsonColumns json, Vertx vertx, InventoryConfig config) {
        this.bulk = bulk;
        this.atlassianCsv = atlassianCsv;
        this.graphJson = graphJson;
        this.entraCsv = entraCsv;
        this.atlassianJson = atlassianJson;
        this.scimJson = scimJson;
        this.sources = sources;
        this.snapshots = snapshots;
        this.traces = traces;
        this.publisher = publisher;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
    }

    /** @param mapping the column mapping (JSON, see {@link ColumnMapping}) of formats csv and json; ignored otherwise */
    public Uni<SnapshotReport> ingest(String sourceName, SourceFormat format, Path file, String fileName, String mapping) {
        requireSourceName(sourceName);
        SnapshotParser parser;
        SourceKind kind;
        if (format == SourceFormat.CSV || format == SourceFormat.JSON) {
            ColumnMapping columns = ColumnMapping.parse(mapping);
            parser = format == SourceFormat.CSV ? new MappedCsvParser(config, columns) : new MappedJsonParser(config, columns);
            kind = columns.kind();
        } else {
            parser = parser(format, fileName);
            kind = format.kind();
        }
        return write(sourceName, format, kind, fileName, false, (current, sink) -> parser.read(file, fileName, sink), List.of(),
                NOTHING_MORE);
    }

    /** Stores what a pull produced as the source's next snapshot, atomically. */
    public Uni<SnapshotReport> ingestParsed(String sourceName, SourceFormat format, String label, ParseResult parsed) {
        return ingestParsed(sourceName, format, label, parsed, NOTHING_MORE);
    }

    /**
     * As {@link #ingestParsed(String, SourceFormat, String, ParseResult)}, running {@code whenApplied}
     * (e.g. advancing a delta cursor) in the snapshot's transaction when the snapshot is applied, not held.
     */
    public Uni<SnapshotReport> ingestParsed(String sourceName, SourceFormat format, String label, ParseResult parsed,
                                            WhenApplied whenApplied) {
        requireSourceName(sourceName);
        return write(sourceName, format, format.kind(), label, false, (current, sink) -> parsed.identities().forEach(sink::add),
                parsed.duplicates(), whenApplied);
    }

    /**
     * Stores a source's next snapshot as {@code next} makes it from the current one, read while the source is locked:
     * two writers of one source (e.g. two replicas applying a change feed) never build on the same version. Removals
     * are explicit deletes here, not rows missing from an export: the truncated-export guard does not apply.
     */
    public Uni<SnapshotReport> ingestOnCurrent(String sourceName, SourceFormat format, SourceKind kind, String label,
                                               UnaryOperator<List<Identity>> next) {
        requireSourceName(sourceName);
        return write(sourceName, format, kind, label, true, (current, sink) -> {
            long line = 0;
            for (Identity identity : next.apply(current)) {
                sink.add(new ParsedIdentity(++line, identity));
            }
        }, List.of(), NOTHING_MORE);
    }

    /** What a snapshot is read from; {@code current} is the source's current identities when incremental, else empty. */
    @FunctionalInterface
    private interface SnapshotProducer {
        void produce(List<Identity> current, IdentitySink sink);
    }

    /** More work for the transaction that applies a snapshot. */
    @FunctionalInterface
    public interface WhenApplied {
        void run(BulkSnapshotRepository.Tx tx) throws SQLException;
    }

    private static final WhenApplied NOTHING_MORE = tx -> {
    };

    public static void requireSourceName(String sourceName) {
        io.relink.support.rest.SourceNames.require(sourceName);
    }

    private SnapshotParser parser(SourceFormat format, String fileName) {
        return switch (format) {
            case ATLASSIAN_CSV -> atlassianCsv;
            case GRAPH_JSON -> graphJson;
            case ENTRA_CSV -> entraCsv;
            case ATLASSIAN_JSON -> atlassianJson;
            case SCIM_JSON -> scimJson;
            case CSV, JSON -> throw new IllegalStateException(format.id() + " is read through its mapping");
            case ATLASSIAN_API, SCIM_API, GRAPH_API, GRAPH_DELTA, CHANGE_FEED -> throw InvalidInputException.of(fileName, null,
                    "format", format.id() + " is not an upload format");
        };
    }

    /**
     * Streams the identities {@code produce} reads into a new snapshot version and diffs it against the current
     * one, all in one database transaction: applied with its events, held by the truncated-export guard, or
     * (on any refusal) rolled back with nothing changed. Runs on a worker thread; memory stays bounded.
     */
    private Uni<SnapshotReport> write(String sourceName, SourceFormat format, SourceKind kind, String label,
                                      boolean incremental, SnapshotProducer produce,
                                      List<BulkSnapshotRepository.Duplicate> knownDuplicates, WhenApplied whenApplied) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> bulk.inTransaction(tx -> {
                    BulkSnapshotRepository.SourceRow source = tx.lockSource(sourceName, kind);
                    if (source.kind() != kind) {
                        throw new InvalidInputException(409, "Source '" + sourceName + "' holds " + source.kind()
                                + " identities; format " + format.id() + " brings " + kind, List.of());
                    }
                    UUID previousId = source.latestVersion() == 0 ? null : tx.snapshotId(sourceName, source.latestVersion());
                    long started = System.nanoTime();
                    List<Identity> current = !incremental || previousId == null ? List.of()
                            : tx.identities(previousId).stream().map(identity -> json.read(identity, Identity.class)).toList();
                    UUID id = UUID.randomUUID();
                    Stored stored = store(tx, id, sourceName + " <- " + label, sink -> produce.produce(current, sink));
                    long read = System.nanoTime();
                    List<BulkSnapshotRepository.Duplicate> duplicates = new ArrayList<>(knownDuplicates);
                    duplicates.addAll(stored.duplicates());
                    long version = tx.maxVersion(sourceName) + 1;
                    tx.insertSnapshot(new BulkSnapshotRepository.SnapshotRow(id, sourceName, version, source.latestVersion(),
                            format.id(), label, SnapshotStatus.APPLIED.name(), 0, json.write(duplicates),
                            knownDuplicates.size() + stored.duplicateCount(),
                            json.write(tx.sharedEmails(id, config.maxReportedDuplicates())), Instant.now()));
                    long storedAt = System.nanoTime();
                    BulkSnapshotRepository.DiffCounts counts = tx.diffCounts(id, previousId);
                    long diffed = System.nanoTime();
                    int previousTotal = counts.removed() + counts.changed() + counts.unchanged();
                    if (!incremental && previousId != null && counts.removed() > config.maxRemovalShare() * previousTotal) {
                        // Truncated-export guard: keep the data for inspection, publish nothing, wait for a person.
                        String reason = String.format(Locale.ROOT, "Would remove %d of %d identities (%.0f%%), more than the "
                                + "%.0f%% allowed: a truncated export? Confirm with POST /api/snapshots/%s/confirm if it is "
                                + "complete, or reject it.", counts.removed(), previousTotal,
                                100.0 * counts.removed() / previousTotal, 100 * config.maxRemovalShare(), id);
                        LOG.warnf("Snapshot %s of %s held: %s", id, sourceName, reason);
                        tx.finishSnapshot(id, SnapshotStatus.PENDING_CONFIRMATION.name(), reason, counts);
                    } else {
                        apply(tx, source, id, version, previousId, counts, null);
                        whenApplied.run(tx);
                    }
                    LOG.infof("Snapshot %s of %s: read and copied in %d ms (%s), reported in %d ms, diffed in %d ms, applied in %d ms",
                            id, sourceName, (read - started) / 1_000_000, stored.path(), (storedAt - read) / 1_000_000,
                            (diffed - storedAt) / 1_000_000, (System.nanoTime() - diffed) / 1_000_000);
                    return id;
                }))).invoke(publisher::publishSoon)
                .flatMap(this::report)
                .invoke(report -> LOG.infof("Snapshot %s v%d of %s (%s): %d identities, +%d ~%d -%d", report.id(),
                        report.version(), sourceName, report.status(), report.total(), report.added(), report.changed(),
                        report.removed()));
    }

    /** How a snapshot's records were stored, and the repeated ids left out of them. */
    private record Stored(String path, List<BulkSnapshotRepository.Duplicate> duplicates, int duplicateCount) {
    }

    /**
     * Copies the identities {@code produce} reads into the records of snapshot {@code id}. Straight into the records
     * first: a second copy of a million rows (from a staging table) took as long as the first. When an external id
     * repeats, the records' key refuses the COPY; the transaction returns to before it and {@code produce} runs again
     * into the staging table, which keeps each id's first row and lists the repeats by line.
     */
    private Stored store(BulkSnapshotRepository.Tx tx, UUID id, String label, Consumer<IdentitySink> produce)
            throws SQLException {
        tx.savepoint();
        try {
            try (BulkSnapshotRepository.IdentityCopy records = tx.openRecords(id)) {
                produce.accept(new CopiedIdentities(records, json, label, config.progressEvery()));
            }
            return new Stored("straight into the records", List.of(), 0);
        } catch (BulkSnapshotRepository.CopyFailed e) {
            if (!e.repeatedId()) {
                throw e;
            }
            LOG.infof("%s: an external id repeats; staging the identities to keep the first row of each", label);
            tx.rollbackToSavepoint();
        }
        try (BulkSnapshotRepository.IdentityCopy staging = tx.openStaging()) {
            produce.accept(new CopiedIdentities(staging, json, label, config.progressEvery()));
        }
        List<BulkSnapshotRepository.Duplicate> duplicates = tx.duplicates(config.maxReportedDuplicates());
        int duplicateCount = tx.duplicateCount();
        tx.materialize(id);
        return new Stored("staged for repeated ids", duplicates, duplicateCount);
    }

    /**
     * Makes a snapshot the source's current version and queues the publication of its events (one per changed
     * identity, then snapshot-completed) in the caller's transaction: {@code SnapshotPublisher} sends them from the
     * snapshot's records once it commits.
     */
    private void apply(BulkSnapshotRepository.Tx tx, BulkSnapshotRepository.SourceRow source, UUID id, long version,
                       UUID previousId, BulkSnapshotRepository.DiffCounts counts, String reason) throws SQLException {
        tx.queuePublication(id, previousId, traces.current());
        tx.finishSnapshot(id, SnapshotStatus.APPLIED.name(), reason, counts);
        tx.setLatestVersion(source.name(), version);
    }

    /** Applies a snapshot the truncated-export guard held, after a person confirmed the export is complete. */
    public Uni<SnapshotReport> confirm(UUID id) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> bulk.inTransaction(tx -> {
            BulkSnapshotRepository.HeldSnapshot held = pending(tx.lockSnapshot(id), id);
            BulkSnapshotRepository.SourceRow source = tx.lockSource(held.sourceName(), held.kind());
            if (source.latestVersion() != held.baseVersion()) {
                throw new InvalidInputException(409, "Snapshot v" + held.version() + " was diffed against v"
                        + held.baseVersion() + ", but v" + source.latestVersion() + " has been applied since: "
                        + "upload or pull again", List.of());
            }
            UUID previousId = source.latestVersion() == 0 ? null : tx.snapshotId(source.name(), source.latestVersion());
            apply(tx, source, id, held.version(), previousId, tx.diffCounts(id, previousId),
                    "Confirmed after the truncated-export guard held it");
            return id;
        }))).invoke(publisher::publishSoon).flatMap(this::report);
    }

    /** Discards a held snapshot: nothing is published, the source keeps its current version. */
    public Uni<SnapshotReport> reject(UUID id) {
        return Panache.withTransaction(() -> snapshots.findById(id).flatMap(snapshot -> {
            if (snapshot == null) {
                throw new NotFoundException("No snapshot " + id);
            }
            requirePending(snapshot.status, id);
            snapshot.status = SnapshotStatus.REJECTED;
            snapshot.statusReason = "Rejected after the truncated-export guard held it";
            return sources.findById(snapshot.sourceName).map(source -> toReport(snapshot, source));
        }));
    }

    private static BulkSnapshotRepository.HeldSnapshot pending(BulkSnapshotRepository.HeldSnapshot held, UUID id) {
        if (held == null) {
            throw new NotFoundException("No snapshot " + id);
        }
        requirePending(SnapshotStatus.valueOf(held.status()), id);
        return held;
    }

    private static void requirePending(SnapshotStatus status, UUID id) {
        if (status != SnapshotStatus.PENDING_CONFIRMATION) {
            throw new InvalidInputException(409, "Snapshot " + id + " is " + status + ", not pending confirmation", List.of());
        }
    }

    /**
     * The diff between two snapshots of one source (at most {@code limit} identities listed per kind of change);
     * without {@code againstId}, against the version the snapshot was diffed against when it arrived.
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
                return vertx.executeBlocking(Uni.createFrom().item(() -> bulk.inTransaction(tx -> compare(tx, to, from, limit))));
            });
        });
    }

    private SnapshotDiff compare(BulkSnapshotRepository.Tx tx, Snapshot to, Snapshot from, int limit) throws SQLException {
        UUID fromId = from == null ? null : from.id;
        BulkSnapshotRepository.DiffCounts counts = tx.diffCounts(to.id, fromId);
        return new SnapshotDiff(to.sourceName, from == null ? null : new SnapshotDiff.Side(from.id, from.version),
                new SnapshotDiff.Side(to.id, to.version), counts.added(), counts.changed(), counts.removed(),
                counts.unchanged(), entries(tx.changeSamples(to.id, fromId, ChangeType.ADDED, limit)),
                entries(tx.changeSamples(to.id, fromId, ChangeType.CHANGED, limit)),
                entries(tx.changeSamples(to.id, fromId, ChangeType.REMOVED, limit)));
    }

    private List<SnapshotDiff.Entry> entries(List<String[]> samples) {
        return samples.stream().map(s -> new SnapshotDiff.Entry(s[0], s[1] == null ? null : json.read(s[1], Identity.class),
                s[2] == null ? null : json.read(s[2], Identity.class))).toList();
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
                    .map(list -> list.stream().map(s -> toReport(s, source)).toList());
        });
    }

    @WithSession
    public Uni<SnapshotReport> report(UUID id) {
        return snapshots.findById(id).flatMap(snapshot -> {
            if (snapshot == null) {
                throw new NotFoundException("No snapshot " + id);
            }
            return sources.findById(snapshot.sourceName)
                    .map(source -> toReport(snapshot, source));
        });
    }

    private SnapshotReport toReport(Snapshot s, Source source) {
        return new SnapshotReport(s.id, s.sourceName, source.kind, s.version, s.status, s.statusReason, s.format, s.fileName,
                s.total, s.added, s.changed, s.removed, s.unchanged, s.duplicateCount, json.read(s.duplicates, DUPLICATES),
                json.read(s.sharedEmails, SHARED_EMAILS), s.createdAt, s.publishedAt);
    }
}
