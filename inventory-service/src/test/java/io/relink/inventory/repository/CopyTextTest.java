package io.relink.inventory.repository;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL's COPY text format as {@link BulkSnapshotRepository.CopyText} writes it. */
class CopyTextTest {

    private static String row(String... values) throws IOException {
        StringWriter out = new StringWriter();
        BulkSnapshotRepository.CopyText.row(out, values);
        return out.toString();
    }

    @Test
    void plainValuesAreTabSeparatedAndNullIsBackslashN() throws IOException {
        assertThat(row("a", null, "{\"email\":\"ana@example.com\"}")).isEqualTo("a\t\\N\t{\"email\":\"ana@example.com\"}\n");
    }

    @Test
    void specialCharactersAreEscapedWhereverTheyStand() throws IOException {
        assertThat(row("\\start", "mid\tdle", "end\n", "\r")).isEqualTo("\\\\start\tmid\\tdle\tend\\n\t\\r\n");
        assertThat(row("a\\\\b\n\nc")).isEqualTo("a\\\\\\\\b\\n\\nc\n");
        assertThat(row("")).isEqualTo("\n");
    }
}
