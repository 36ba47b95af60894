package io.relink.inventory.service;

import io.relink.support.rest.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AtlassianJsonParserTest {

    private final AtlassianJsonParser parser = new AtlassianJsonParser(AtlassianCsvParserTest.CONFIG);

    @TempDir
    Path dir;

    @Test
    void readsTheV1ShapeAndTheV2Shape() throws IOException {
        ParseResult v1 = parse("""
                {"data":[{"account_id":"5b10a","account_type":"atlassian","account_status":"active","name":"Ada",
                          "email":"Ada@Example.com","access_billable":true,"product_access":[]}],
                 "links":{"next":null},"meta":{"total":1}}
                """);
        assertThat(v1.identities()).singleElement().satisfies(p -> {
            assertThat(p.identity().externalId()).isEqualTo("5b10a");
            assertThat(p.identity().emailNormalized()).isEqualTo("ada@example.com");
            assertThat(p.identity().active()).isTrue();
        });
        ParseResult v2 = parse("""
                [{"data":[{"accountId":"7c2","accountStatus":"inactive","email":"grace@example.com","claimStatus":"managed"}],
                  "links":{"next":"abc"}},
                 {"data":[{"accountId":"8d3","accountStatus":"active","email":"alan@example.com"}],"links":{"next":null}}]
                """);
        assertThat(v2.identities()).extracting(p -> p.identity().externalId()).containsExactly("7c2", "8d3");
        assertThat(v2.identities().get(0).identity().active()).isFalse();
    }

    @Test
    void refusesAccountsWithoutIdOrEmailAndUnknownStatuses() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> parse("""
                {"data":[
                  {"email":"a@example.com"},
                  {"accountId":"2","email":"not-an-email"},
                  {"accountId":"3","email":"c@example.com","accountStatus":"sleeping"}
                ]}"""));
        assertThat(e.errors()).extracting(err -> err.field())
                .containsExactly("data[0].accountId", "data[1].email", "data[2].accountStatus");
        assertThat(e.errors()).extracting(err -> err.line()).containsExactly(2L, 3L, 4L);
    }

    private ParseResult parse(String content) throws IOException {
        Path file = dir.resolve("users.json");
        Files.writeString(file, content);
        return parser.parse(file, "users.json");
    }
}
