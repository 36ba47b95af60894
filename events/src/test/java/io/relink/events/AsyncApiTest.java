package io.relink.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code events/asyncapi.json} is the generated document, it is a valid AsyncAPI 3.0 document (checked against the
 * specification's own JSON Schema), and it names every event type of the contract.
 */
class AsyncApiTest {

    private static final Path COMMITTED = Path.of("asyncapi.json");

    @Test
    void theCommittedDocumentIsTheGeneratedOne() throws IOException {
        String generated = AsyncApi.json();
        if (Boolean.getBoolean("relink.asyncapi.write")) {
            Files.writeString(COMMITTED, generated);
        }
        assertThat(Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "")
                .as("events/asyncapi.json is out of date: run 'mvn -pl events test -Drelink.asyncapi.write=true' and commit it")
                .isEqualTo(generated);
    }

    @Test
    void theDocumentIsValidAsyncApi3() throws IOException {
        assertThat(violations(AsyncApi.document())).isEmpty();
    }

    @Test
    void anInvalidDocumentIsRejected() throws IOException {
        // Guards the check above against passing vacuously.
        ObjectNode broken = AsyncApi.document();
        broken.remove("info");
        ((ObjectNode) broken.path("channels").path("identity")).put("adress", "misspelt");
        assertThat(violations(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyEventTypeIsOnExactlyOneChannel() throws IllegalAccessException {
        List<String> types = new ArrayList<>();
        for (Field field : EventTypes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                types.add((String) field.get(null));
            }
        }
        List<String> onChannels = AsyncApi.CHANNELS.stream().flatMap(c -> c.types().stream()).toList();
        assertThat(onChannels).containsExactlyInAnyOrderElementsOf(types);
        JsonNode messages = AsyncApi.document().path("components").path("messages");
        List<String> names = new ArrayList<>();
        messages.forEach(message -> names.add(message.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(types);
    }

    private static Set<ValidationMessage> violations(JsonNode document) throws IOException {
        try (InputStream in = AsyncApiTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
            return schema.validate(document);
        }
    }
}
