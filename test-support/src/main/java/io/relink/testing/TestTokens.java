package io.relink.testing;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Bearer tokens for the services' APIs in tests, signed with the test key pair in {@code relink-test-auth/} (the
 * services' {@code %test} profile and the e2e services trust its public key). Same issuer and audience as the local
 * stack's tokens (README, "Authentication and roles").
 */
public final class TestTokens {

    public static final String ISSUER = "relink-local";
    public static final String AUDIENCE = "relink";
    public static final String PUBLIC_KEY_RESOURCE = "relink-test-auth/public.pem";
    public static final String PRIVATE_KEY_RESOURCE = "relink-test-auth/private.pem";
    /** Who the tests act as unless they say otherwise. */
    public static final String TEST_ADMIN = "test-admin@example.com";

    private static final PrivateKey KEY = privateKey();

    private TestTokens() {
    }

    /** A token for {@code user} holding {@code roles} (viewer, reviewer, operator, admin), valid for an hour. */
    public static String token(String user, String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).subject(user).groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1)).sign(KEY);
    }

    /** A token signed by the test key with any claims changed (expired, another issuer, …), for the refusal tests. */
    public static String sign(io.smallrye.jwt.build.JwtClaimsBuilder claims) {
        return claims.sign(KEY);
    }

    /** Makes every REST Assured request of this test act as {@link #TEST_ADMIN} (a request may still set its own auth). */
    public static void authenticateAsAdmin() {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .setAuth(RestAssured.oauth2(token(TEST_ADMIN, "admin"))).build();
    }

    /** Writes the test public key to a file, for services started as processes ({@code RELINK_JWT_PUBLIC_KEY_LOCATION}). */
    public static Path writePublicKey(Path directory) {
        return copy(PUBLIC_KEY_RESOURCE, directory.resolve("public.pem"));
    }

    /** Writes the test private key to a file, for a {@code ./relink} run that signs its own tokens. */
    public static Path writePrivateKey(Path directory) {
        return copy(PRIVATE_KEY_RESOURCE, directory.resolve("private.pem"));
    }

    private static Path copy(String resource, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, read(resource));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey privateKey() {
        String pem = read(PRIVATE_KEY_RESOURCE).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the test private key is unreadable", e);
        }
    }
}
