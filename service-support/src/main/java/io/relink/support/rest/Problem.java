package io.relink.support.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.net.URI;
import java.util.List;

/**
 * RFC 9457 problem details. {@code errors} lists each input problem with where it is (file, line,
 * field), so an admin can fix an export without guessing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<InputError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One thing wrong with the input. {@code line} is 1-based and counts the header line. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputError(String file, Long line, String field, String reason) {
    }
}
