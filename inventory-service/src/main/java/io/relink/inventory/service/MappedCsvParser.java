package io.relink.inventory.service;

import io.relink.inventory.config.InventoryConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads a generic CSV through a {@link ColumnMapping}: same streaming, checks and errors as the built-in formats. */
final class MappedCsvParser implements SnapshotParser {

    private final InventoryConfig config;
    private final ColumnMapping mapping;

    MappedCsvParser(InventoryConfig config, ColumnMapping mapping) {
        this.config = config;
        this.mapping = mapping;
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        // Columns are found by the header names the mapping gives (case-insensitive), so errors name them too.
        Map<String, List<String>> aliases = new java.util.HashMap<>();
        mapping.columns().values().forEach(header -> aliases.put(header, List.of(header)));
        List<String> required = mapping.columns().entrySet().stream()
                .filter(e -> List.of("externalId", "email", "userPrincipalName").contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        CsvTable.read(file, errors, config, aliases, required, (line, values) -> {
            ParsedIdentity identity = mapping.toIdentity(field -> mapping.columns().containsKey(field)
                    ? values.get(mapping.columns().get(field)) : null, line, errors);
            if (identity != null) {
                sink.add(identity);
            }
            return true;
        });
        errors.finish(sink.count(), null, "The file has a header but no rows");
    }
}
