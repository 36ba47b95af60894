package io.relink.support.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretFilesConfigSourceTest {

    @TempDir
    Path secrets;

    @Test
    void aFileNamedByAFileVariableGivesTheVariableItsContent() throws Exception {
        Path file = Files.writeString(secrets.resolve("graph-client-secret"), "  s3cr3t-value\n");

        SecretFilesConfigSource source = new SecretFilesConfigSource(Map.of("RELINK_GRAPH_CLIENT_SECRET_FILE", file.toString(),
                "RELINK_PG_CA_FILE", "/etc/ssl/ca.pem", "OTHER_FILE", "/nowhere", "RELINK_EMPTY_FILE", ""));

        assertThat(source.getValue("RELINK_GRAPH_CLIENT_SECRET")).isEqualTo("s3cr3t-value");
        assertThat(new SecretFilesConfigSource(Map.of("RELINK_CLIENTS_GRAPH_TOKEN_FILE", file.toString()))
                .getValue("relink.clients.graph.token")).as("a property's environment name works too").isEqualTo("s3cr3t-value");
        assertThat(List.of("RELINK_PG_CA", "OTHER", "RELINK_EMPTY")).as("a CA location, other prefixes and blank values are left alone")
                .allSatisfy(name -> assertThat(source.getValue(name)).as(name).isNull());
    }

    @Test
    void anUnreadableFileStopsTheServiceNamingTheVariable() {
        assertThatThrownBy(() -> new SecretFilesConfigSource(Map.of("RELINK_ATLASSIAN_API_KEY_FILE",
                secrets.resolve("missing").toString())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RELINK_ATLASSIAN_API_KEY_FILE")
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aVariableAndItsFileTwinAreRefused() throws Exception {
        Path file = Files.writeString(secrets.resolve("key"), "from-file");

        assertThatThrownBy(() -> new SecretFilesConfigSource(Map.of("RELINK_ATLASSIAN_API_KEY", "from-env",
                "RELINK_ATLASSIAN_API_KEY_FILE", file.toString())))
                .hasMessageContaining("Both RELINK_ATLASSIAN_API_KEY and RELINK_ATLASSIAN_API_KEY_FILE")
                .hasMessageNotContaining("from-env").hasMessageNotContaining("from-file");
    }
}
