package io.relink.inventory.service;

import io.relink.support.rest.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GraphUsersJsonParserTest {

    private final GraphUsersJsonParser parser = new GraphUsersJsonParser(AtlassianCsvParserTest.CONFIG);

    @TempDir
    Path dir;

    @Test
    void readsAGraphUsersResponse() throws IOException {
        ParseResult result = parse("""
                {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users",
                 "value":[
                  {"id":"11111111-aaaa","displayName":"Ada","userPrincipalName":"E100@Example.com","mail":"Ada@Example.com",
                   "accountEnabled":true,"userType":"Member","otherMails":["Ada.Personal@Home.example"],
                   "proxyAddresses":["SMTP:Ada@Example.com","smtp:ada.l@old.example","X500:/o=x"]},
                  {"id":"22222222-bbbb","userPrincipalName":"guest_partner.example#EXT#@acme.onmicrosoft.com","mail":null,
                   "accountEnabled":false,"userType":"Guest"}
                 ],
                 "@odata.nextLink":null}
                """);
        assertThat(result.identities()).hasSize(2);
        var ada = result.identities().get(0).identity();
        assertThat(ada.externalId()).isEqualTo("11111111-aaaa");
        assertThat(ada.emailNormalized()).isEqualTo("ada@example.com");
        assertThat(ada.userPrincipalNameNormalized()).isEqualTo("e100@example.com");
        assertThat(ada.secondaryEmailsNormalized()).containsExactly("ada.l@old.example");
        assertThat(ada.otherMailsNormalized()).containsExactly("ada.personal@home.example");
        assertThat(ada.active()).isTrue();
        var guest = result.identities().get(1).identity();
        assertThat(guest.emailNormalized()).isNull();
        assertThat(guest.active()).isFalse();
        assertThat(guest.userType()).isEqualTo("Guest");
        assertThat(ada.details().emailDomain()).isEqualTo("example.com");
        assertThat(ada.details().guest()).isFalse();
        assertThat(guest.details().guest()).isTrue();
    }

    @Test
    void keepsTheSelectOnlyAttributesAndRecognizesGuestUpnsWithoutAUserType() throws IOException {
        var identity = parse("""
                {"value":[{"id":"3","userPrincipalName":"bob_partner.example#EXT#@acme.onmicrosoft.com","givenName":"Bob",
                  "surname":"Builder","employeeId":"E-7","onPremisesImmutableId":"aW1tdXRhYmxl"}]}
                """).identities().get(0).identity();
        assertThat(identity.userType()).isEqualTo("Guest");
        assertThat(identity.details()).isEqualTo(new io.relink.events.Identity.Details("acme.onmicrosoft.com", true, "Bob",
                "Builder", "E-7", "aW1tdXRhYmxl", null, null, null));
    }

    @Test
    void readsAListOfPages() throws IOException {
        ParseResult result = parse("""
                [{"value":[{"id":"1","userPrincipalName":"a@example.com"}],"@odata.nextLink":"https://graph/next"},
                 {"value":[{"id":"2","userPrincipalName":"b@example.com"},{"id":"1","userPrincipalName":"a@example.com"}]}]
                """);
        assertThat(result.identities()).extracting(p -> p.identity().externalId()).containsExactly("1", "2");
        assertThat(result.duplicates()).singleElement().satisfies(d -> assertThat(d.externalId()).isEqualTo("1"));
    }

    @Test
    void refusesMalformedJsonWithTheLine() {
        InvalidInputException e = refused("{\"value\":[\n{\"id\":\"1\",\n\"userPrincipalName\" \"x\"}]}");
        assertThat(e.errors().get(0).line()).isEqualTo(3L);
        assertThat(e.getMessage()).contains("Malformed JSON");
    }

    @Test
    void refusesUsersWithoutIdOrWithWrongTypes() {
        InvalidInputException e = refused("""
                {"value":[
                 {"userPrincipalName":"a@example.com"},
                 {"id":"2","userPrincipalName":"b@example.com","accountEnabled":"yes"}
                ]}""");
        assertThat(e.errors()).extracting(err -> err.field())
                .containsExactly("value[0].id", "value[1].accountEnabled");
        assertThat(e.errors()).extracting(err -> err.line()).containsExactly(2L, 3L);
    }

    @Test
    void refusesOtherShapes() {
        assertThat(refused("\"users\"").getMessage()).contains("Expected a Graph /users response");
        assertThat(refused("[]").getMessage()).contains("no \"value\"");
        assertThat(refused("[1]").getMessage()).contains("page objects only");
        assertThat(refused("{\"data\":[]}").getMessage()).contains("no \"value\"");
        assertThat(refused("{\"value\":[]}").getMessage()).contains("no users");
        assertThat(refused("{\"value\":[{\"id\":\"1\",\"userPrincipalName\":\"a@b.c\"}]").getMessage()).contains("Malformed");
    }

    private ParseResult parse(String content) throws IOException {
        Path file = dir.resolve("users.json");
        Files.writeString(file, content);
        return parser.parse(file, "users.json");
    }

    private InvalidInputException refused(String content) {
        return catchThrowableOfType(InvalidInputException.class, () -> parse(content));
    }
}
