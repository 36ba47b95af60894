package io.relink.inventory.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Streams the items of a saved API response: one page ({@code {"value":[...]}} / {@code {"data":[...]}}) or a
 * list of such pages. One item is in memory at a time.
 */
final class JsonPages {

    interface ItemHandler {
        /** @return false to stop reading */
        boolean item(JsonNode item, long line, String path);
    }

    private JsonPages() {
    }

    /** The first of {@code fields} that holds a non-blank value, trimmed; null when none does (or no node). */
    static String text(JsonNode node, String... fields) {
        if (node == null) {
            return null;
        }
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !value.asText().isBlank()) {
                return value.asText().strip();
            }
        }
        return null;
    }

    /** A mapper that refuses oversized string values (bounded memory on hostile input). */
    static ObjectMapper mapper(io.relink.inventory.config.InventoryConfig config) {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxStringLength(config.maxFieldLength()).build());
        return mapper;
    }

    static void read(Path file, InputErrors errors, ObjectMapper mapper, String arrayField, String shape, ItemHandler handler) {
        try (Reader reader = TextInput.open(file, errors); JsonParser json = mapper.getFactory().createParser(reader)) {
            JsonToken root = json.nextToken();
            boolean found;
            if (root == JsonToken.START_OBJECT) {
                found = readPage(json, errors, mapper, arrayField, "", handler);
            } else if (root == JsonToken.START_ARRAY) {
                found = false;
                int page = 0;
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    found |= readPage(json, errors, mapper, arrayField, "[" + page++ + "].", handler);
                }
                if (json.currentToken() != JsonToken.END_ARRAY) {
                    throw errors.fatal(line(json), null, "A list of pages must contain page objects only");
                }
            } else {
                throw errors.fatal(line(json), null, "Expected " + shape);
            }
            if (json.nextToken() != null) {
                throw errors.fatal(line(json), null, "Unexpected content after the response");
            }
            if (!found) {
                throw errors.fatal(null, arrayField, "The response has no \"" + arrayField + "\" array");
            }
        } catch (JsonProcessingException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text");
            }
            Long line = e.getLocation() == null ? null : (long) e.getLocation().getLineNr();
            throw errors.fatal(line, null, "Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text");
            }
            throw errors.fatal(null, null, "The file cannot be read: " + e.getMessage());
        }
    }

    /** Streams a file that is one JSON array of record objects (a generic export), one record in memory at a time. */
    static void readArray(Path file, InputErrors errors, ObjectMapper mapper, ItemHandler handler) {
        try (Reader reader = TextInput.open(file, errors); JsonParser json = mapper.getFactory().createParser(reader)) {
            if (json.nextToken() != JsonToken.START_ARRAY) {
                throw errors.fatal(line(json), null, "Expected a JSON array of records (or set \"records\" in the mapping "
                        + "to the array inside the top-level object)");
            }
            int index = 0;
            while (json.nextToken() != JsonToken.END_ARRAY) {
                long line = line(json);
                String path = "[" + index++ + "]";
                if (json.currentToken() != JsonToken.START_OBJECT) {
                    throw errors.fatal(line, path, "Each record must be a JSON object");
                }
                if (!handler.item(mapper.readTree(json), line, path) || errors.isFull()) {
                    return;
                }
            }
            if (json.nextToken() != null) {
                throw errors.fatal(line(json), null, "Unexpected content after the array");
            }
        } catch (JsonProcessingException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text");
            }
            Long line = e.getLocation() == null ? null : (long) e.getLocation().getLineNr();
            throw errors.fatal(line, null, "Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            if (TextInput.isEncodingProblem(e)) {
                throw errors.fatal(null, null, "The file is not valid UTF-8 text");
            }
            throw errors.fatal(null, null, "The file cannot be read: " + e.getMessage());
        }
    }

    /** Reads one page object (the parser is on its START_OBJECT); @return whether it had the array. */
    private static boolean readPage(JsonParser json, InputErrors errors, ObjectMapper mapper, String arrayField,
                                    String prefix, ItemHandler handler) throws IOException {
        boolean found = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            if (!arrayField.equals(field)) {
                json.skipChildren();
                continue;
            }
            if (token != JsonToken.START_ARRAY) {
                throw errors.fatal(line(json), prefix + arrayField, "\"" + arrayField + "\" must be an array");
            }
            found = true;
            int index = 0;
            while (json.nextToken() != JsonToken.END_ARRAY) {
                long line = line(json);
                String path = prefix + arrayField + "[" + index++ + "]";
                if (json.currentToken() != JsonToken.START_OBJECT) {
                    throw errors.fatal(line, path, "Each item must be a JSON object");
                }
                if (!handler.item(mapper.readTree(json), line, path) || errors.isFull()) {
                    return true;
                }
            }
        }
        if (json.currentToken() != JsonToken.END_OBJECT) {
            throw errors.fatal(line(json), null, "Malformed page object");
        }
        return found;
    }

    private static long line(JsonParser json) {
        return json.currentLocation().getLineNr();
    }
}
