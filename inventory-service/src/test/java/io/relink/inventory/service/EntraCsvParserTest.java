package io.relink.inventory.service;

import io.relink.support.rest.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EntraCsvParserTest {

    private final EntraCsvParser parser = new EntraCsvParser(AtlassianCsvParserTest.CONFIG);

    @TempDir
    Path dir;

    @Test
    void readsTheEntraDownloadUsersExport() throws IOException {
        ParseResult result = parse("""
                userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled
                e100@Example.com,Ada Lovelace,Lovelace,Ada@Example.com,Ada,11-aa,Member,Engineer,R&D,True
                partner_x.example#EXT#@acme.onmicrosoft.com,Partner,,,,22-bb,Guest,,,False
                """);
        assertThat(result.identities()).hasSize(2);
        var ada = result.identities().get(0).identity();
        assertThat(ada.externalId()).isEqualTo("11-aa");
        assertThat(ada.emailNormalized()).isEqualTo("ada@example.com");
        assertThat(ada.userPrincipalNameNormalized()).isEqualTo("e100@example.com");
        assertThat(ada.active()).isTrue();
        var guest = result.identities().get(1).identity();
        assertThat(guest.userType()).isEqualTo("Guest");
        assertThat(guest.active()).isFalse();
        assertThat(guest.emailNormalized()).isNull();
    }

    @Test
    void acceptsTheMicrosoft365AdminCenterSpellings() throws IOException {
        ParseResult result = parse("Display name,User principal name,Object ID\nAda,ada@example.com,33-cc\n");
        assertThat(result.identities()).singleElement().satisfies(p -> assertThat(p.identity().externalId()).isEqualTo("33-cc"));
    }

    @Test
    void refusesMissingColumnsAndBadValuesWithLineAndField() {
        InvalidInputException missing = refused("displayName,mail\nAda,ada@example.com\n");
        assertThat(missing.errors()).extracting(e -> e.field()).containsExactlyInAnyOrder("objectId", "userPrincipalName");
        InvalidInputException bad = refused("objectId,userPrincipalName,mail,accountEnabled\n1,a@x.com,not-mail,True\n2,b@x.com,b@x.com,maybe\n");
        assertThat(bad.errors()).extracting(e -> e.line()).containsExactly(2L, 3L);
        assertThat(bad.errors()).extracting(e -> e.field()).containsExactly("mail", "accountEnabled");
    }

    private ParseResult parse(String content) throws IOException {
        Path file = dir.resolve("users.csv");
        Files.writeString(file, content);
        return parser.parse(file, "users.csv");
    }

    private InvalidInputException refused(String content) {
        return catchThrowableOfType(InvalidInputException.class, () -> parse(content));
    }
}
