package io.relink.inventory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relink.inventory.config.InventoryConfig;

import java.nio.file.Path;

/**
 * Reads a generic JSON export through a {@link ColumnMapping}: a top-level array of records, or the array named by
 * {@code records} in a top-level object or in each of a list of pages. Streaming, one record in memory at a time.
 */
final class MappedJsonParser implements SnapshotParser {

    private final InventoryConfig config;
    private final ColumnMapping mapping;
    private final ObjectMapper mapper;

    MappedJsonParser(InventoryConfig config, ColumnMapping mapping) {
        this.config = config;
        this.mapping = mapping;
        this.mapper = JsonPages.mapper(config);
    }

    @Override
    public void read(Path file, String fileName, IdentitySink sink) {
        InputErrors errors = new InputErrors(fileName, config.maxReportedErrors());
        JsonPages.ItemHandler handler = (record, line, path) -> {
            ParsedIdentity identity = mapping.toIdentity(field -> value(record, mapping.columns().get(field)), line, errors);
            if (identity != null) {
                sink.add(identity);
            }
            return true;
        };
        if (mapping.records() == null) {
            JsonPages.readArray(file, errors, mapper, handler);
        } else {
            JsonPages.read(file, errors, mapper, mapping.records(), "a JSON object with a \"" + mapping.records()
                    + "\" array of records, or a list of such pages", handler);
        }
        errors.finish(sink.count(), null, "The file holds no records");
    }

    /** A record's value for a column: a key, or a JSON pointer when it starts with '/'; null when absent or blank. */
    private static String value(JsonNode record, String column) {
        if (column == null) {
            return null;
        }
        if (!column.startsWith("/")) {
            return JsonPages.text(record, column);
        }
        JsonNode value = record.at(column);
        return value.isMissingNode() || value.isNull() || value.isContainerNode() || value.asText().isBlank()
                ? null : value.asText().strip();
    }
}
