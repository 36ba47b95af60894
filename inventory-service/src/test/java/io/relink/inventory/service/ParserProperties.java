package io.relink.inventory.service;

import io.relink.support.rest.InvalidInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the input side, over generated input: address normalization, the Atlassian CSV parser (whatever the
 * names hold: quotes, separators, line breaks, formula characters, any script) and refusal of arbitrary bytes with a
 * clear error only, never another exception.
 */
class ParserProperties {

    private final AtlassianCsvParser parser = new AtlassianCsvParser(AtlassianCsvParserTest.CONFIG);

    @Property
    void normalizationIsIdempotentAndIgnoresCaseSpacesAndUnicodeForm(@ForAll("addresses") String address) {
        String normalized = Addresses.normalize(address);
        assertThat(Addresses.normalize(normalized)).isEqualTo(normalized);
        assertThat(Addresses.normalize("  " + address.toUpperCase(Locale.ROOT) + "\t")).isEqualTo(normalized);
        assertThat(Addresses.normalize(Normalizer.normalize(address, Normalizer.Form.NFD))).isEqualTo(normalized);
        assertThat(Addresses.isPlausible(normalized)).isTrue();
    }

    @Property(tries = 200)
    void everyWrittenAccountIsReadBackWhateverItsName(@ForAll @Size(min = 1, max = 20) List<@net.jqwik.api.From("names") String> names)
            throws IOException {
        StringWriter csv = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.DEFAULT)) {
            printer.printRecord("Name", "Email", "Status");
            for (int i = 0; i < names.size(); i++) {
                printer.printRecord(names.get(i), "user" + i + "@example.com", i % 2 == 0 ? "Active" : "Deactivated");
            }
        }
        ParseResult result = parse(csv.toString());
        assertThat(result.identities()).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            var identity = result.identities().get(i).identity();
            assertThat(identity.emailNormalized()).isEqualTo("user" + i + "@example.com");
            assertThat(identity.displayName()).isEqualTo(names.get(i).strip().isEmpty() ? identity.displayName() : names.get(i).strip());
            assertThat(identity.active()).isEqualTo(i % 2 == 0);
        }
    }

    @Property(tries = 300)
    void arbitraryBytesAreReadOrRefusedWithAClearErrorNeverAnotherException(@ForAll byte[] content) throws IOException {
        Path file = Files.createTempFile("fuzz", ".csv");
        try {
            Files.write(file, content);
            try {
                parser.parse(file, "fuzz.csv");
            } catch (InvalidInputException refused) {
                assertThat(refused.getMessage()).isNotBlank();
                assertThat(refused.errors()).isNotEmpty().allSatisfy(error -> assertThat(error.reason()).isNotBlank());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<String> local = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_', '-', 'é', 'ü')
                .ofMinLength(1).ofMaxLength(20).filter(s -> Character.isLetter(s.charAt(0)) && !s.endsWith("."));
        Arbitrary<String> domain = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(12);
        Arbitrary<String> tld = Arbitraries.of("com", "example", "org", "de", "co.uk");
        return Combinators.combine(local, domain, tld).as((l, d, t) -> l + "@" + d + "." + t);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().all().ofMaxLength(40)
                .filter(s -> s.chars().noneMatch(c -> c == 0 || Character.isSurrogate((char) c)))
                .edgeCases(edges -> edges.add("=HYPERLINK(\"x\")").add("Hopper, \"Amazing\" Grace").add("line\nbreak")
                        .add("Łukasz Ωmega"));
    }

    private ParseResult parse(String content) throws IOException {
        Path file = Files.createTempFile("accounts", ".csv");
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return parser.parse(file, "accounts.csv");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
