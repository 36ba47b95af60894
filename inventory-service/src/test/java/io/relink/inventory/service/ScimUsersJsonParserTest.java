package io.relink.inventory.service;

import io.relink.support.rest.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ScimUsersJsonParserTest {

    private final ScimUsersJsonParser parser = new ScimUsersJsonParser(AtlassianCsvParserTest.CONFIG);

    @TempDir
    Path dir;

    @Test
    void readsAListResponseWithTheIdpsExternalIdAndTheLinkedAccount() throws IOException {
        ParseResult result = parse("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"startIndex":1,
                 "Resources":[
                  {"id":"scim-1","externalId":"0b1-entra-object-id","userName":"Ada@Example.com","displayName":"Ada",
                   "emails":[{"value":"ada.home@example.org","type":"home"},{"value":"Ada@Example.com","type":"work","primary":true}],
                   "active":true,"urn:scim:schemas:extension:atlassian-external:1.0":{"atlassianAccountId":"5b10ac8d"}},
                  {"id":"scim-2","userName":"grace@example.com","name":{"formatted":"Grace Hopper"},
                   "emails":[{"value":"grace@example.com","type":"work"}],"active":false}
                 ]}
                """);
        assertThat(result.identities()).hasSize(2);
        var ada = result.identities().get(0).identity();
        assertThat(ada.externalId()).isEqualTo("scim-1");
        assertThat(ada.emailNormalized()).isEqualTo("ada@example.com");
        assertThat(ada.userPrincipalNameNormalized()).isEqualTo("ada@example.com");
        assertThat(ada.details().scimExternalId()).isEqualTo("0b1-entra-object-id");
        assertThat(ada.details().linkedAccountId()).isEqualTo("5b10ac8d");
        var grace = result.identities().get(1).identity();
        assertThat(grace.displayName()).isEqualTo("Grace Hopper");
        assertThat(grace.active()).isFalse();
        assertThat(grace.details().linkedAccountId()).isNull();
    }

    @Test
    void refusesUsersWithoutIdOrUserNameWithTheirPath() throws IOException {
        InvalidInputException refused = catchThrowableOfType(InvalidInputException.class, () -> parse("""
                {"Resources":[{"userName":"a@example.com"},{"id":"2"},{"id":"3","userName":"c@example.com","active":"yes"}]}
                """));
        assertThat(refused.errors()).extracting(e -> e.field())
                .containsExactly("Resources[0].id", "Resources[1].userName", "Resources[2].active");
    }

    @Test
    void refusesAnEmptyListing() {
        InvalidInputException refused = catchThrowableOfType(InvalidInputException.class,
                () -> parse("{\"Resources\":[]}"));
        assertThat(refused.getMessage()).contains("no users");
    }

    private ParseResult parse(String content) throws IOException {
        Path file = dir.resolve("scim.json");
        Files.writeString(file, content);
        return parser.parse(file, "scim.json");
    }
}
