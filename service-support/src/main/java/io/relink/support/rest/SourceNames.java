package io.relink.support.rest;

import java.util.regex.Pattern;

/** The one rule for source names (an Atlassian organization's or a directory's name in Relink), wherever one arrives. */
public final class SourceNames {

    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private SourceNames() {
    }

    /** Refuses (400, field {@code source}) a name that is not 1-100 letters, digits, '.', '_' or '-'. */
    public static String require(String source) {
        if (source == null || !SOURCE_NAME.matcher(source).matches()) {
            throw InvalidInputException.of(null, null, "source",
                    "Source name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return source;
    }
}
