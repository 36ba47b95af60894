package io.relink.inventory.service;

import io.relink.inventory.config.InventoryConfig;
import io.relink.support.rest.InvalidInputException;
import io.relink.support.rest.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AtlassianCsvParserTest {

    /** The mapping's own defaults, with a short field limit to test it. */
    static final InventoryConfig CONFIG = new io.smallrye.config.SmallRyeConfigBuilder()
            .withMapping(InventoryConfig.class)
            .withDefaultValue("relink.inventory.max-field-length", "256")
            .build().getConfigMapping(InventoryConfig.class);

    private final AtlassianCsvParser parser = new AtlassianCsvParser(CONFIG);

    @TempDir
    Path dir;

    @Test
    void readsTheManagedAccountsExportWithColumnsInAnyOrder() throws IOException {
        ParseResult result = parse("""
                Status,Policy name,Email,Name,Extra column
                Active,Local accounts,  Ada.Lovelace@Example.COM ,Ada Lovelace,x
                Deactivated,Entra SSO,grace@example.com,Grace Hopper,y
                """);
        assertThat(result.identities()).hasSize(2);
        var ada = result.identities().get(0).identity();
        assertThat(ada.externalId()).isEqualTo("ada.lovelace@example.com");
        assertThat(ada.email()).isEqualTo("Ada.Lovelace@Example.COM");
        assertThat(ada.emailNormalized()).isEqualTo("ada.lovelace@example.com");
        assertThat(ada.displayName()).isEqualTo("Ada Lovelace");
        assertThat(ada.authPolicy()).isEqualTo("Local accounts");
        assertThat(ada.active()).isTrue();
        assertThat(result.identities().get(1).identity().active()).isFalse();
    }

    @Test
    void acceptsBomCrlfQuotedNewlinesAndHeaderAliases() throws IOException {
        ParseResult result = parse("\uFEFFFull name,Email address,Account status\r\n"
                + "\"Hopper,\nGrace\",grace@example.com,Active\r\n");
        assertThat(result.identities()).singleElement()
                .satisfies(p -> assertThat(p.identity().displayName()).isEqualTo("Hopper,\nGrace"));
    }

    @Test
    void acceptsSemicolonSeparatedFiles() throws IOException {
        assertThat(parse("Name;Email;Status\nAda;ada@example.com;Active\n").identities()).hasSize(1);
    }

    @Test
    void normalizesUnicodeToNfc() throws IOException {
        // "é" written as e + combining acute accent (NFD) must equal the precomposed form.
        ParseResult result = parse("Name,Email,Status\nRene,rene\u0301@example.com,Active\n");
        assertThat(result.identities().get(0).identity().emailNormalized()).isEqualTo("ren\u00e9@example.com");
    }

    @Test
    void flagsDuplicateEmailsAndKeepsTheFirst() throws IOException {
        ParseResult result = parse("Name,Email,Status\nA,ada@example.com,Active\nB,ADA@example.com,Active\n");
        assertThat(result.identities()).hasSize(1);
        assertThat(result.duplicates()).containsExactly(new io.relink.inventory.repository.BulkSnapshotRepository.Duplicate(3, "ada@example.com", 2));
    }

    @Test
    void refusesAMissingRequiredColumnNamingIt() {
        InvalidInputException e = refused("Name,Status\nAda,Active\n");
        assertThat(e.errors()).extracting(Problem.InputError::field).containsExactly("Email");
        assertThat(e.errors().get(0).line()).isEqualTo(1L);
    }

    @Test
    void refusesInvalidEmailsWithLineAndField() {
        InvalidInputException e = refused("Name,Email,Status\nA,a@example.com,Active\nB,not-an-email,Active\nC,,Active\n");
        assertThat(e.errors()).extracting(Problem.InputError::line).containsExactly(3L, 4L);
        assertThat(e.errors()).extracting(Problem.InputError::field).containsOnly("Email");
        assertThat(e.errors().get(0).file()).isEqualTo("accounts.csv");
        assertThat(e.getMessage()).contains("nothing was imported");
    }

    @Test
    void refusesUnknownStatusValues() {
        assertThat(refused("Name,Email,Status\nA,a@example.com,Maybe\n").errors().get(0).field()).isEqualTo("Status");
    }

    @Test
    void refusesEmptyHeaderOnlyUnbalancedAndBinaryFiles() throws IOException {
        assertThat(refused("").getMessage()).contains("empty");
        assertThat(refused("Name,Email,Status\n").getMessage()).contains("no accounts");
        assertThat(refused("Name,Email,Status\n\"Ada,ada@example.com,Active\n").getMessage()).contains("cannot be read");
        Path binary = dir.resolve("accounts.csv");
        Files.write(binary, new byte[]{'N', 'a', 0, 1, 2});
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> parser.parse(binary, "accounts.csv")).getMessage())
                .contains("binary");
    }

    @Test
    void refusesUtf16AndInvalidUtf8Plainly() throws IOException {
        Path utf16 = dir.resolve("accounts.csv");
        Files.write(utf16, "Name,Email,Status\n".getBytes(StandardCharsets.UTF_16));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> parser.parse(utf16, "accounts.csv")).getMessage())
                .contains("UTF-16");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "Name,Email,Status\nRen\u00e9,rene@example.com,Active\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> parser.parse(latin1, "latin1.csv")).getMessage())
                .contains("UTF-8");
    }

    @Test
    void refusesOversizedFields() {
        InvalidInputException e = refused("Name,Email,Status\n" + "x".repeat(300) + ",a@example.com,Active\n");
        assertThat(e.errors().get(0).reason()).contains("longer than 256");
    }

    private ParseResult parse(String content) throws IOException {
        Path file = dir.resolve("accounts.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return parser.parse(file, "accounts.csv");
    }

    private InvalidInputException refused(String content) {
        return catchThrowableOfType(InvalidInputException.class, () -> parse(content));
    }
}
