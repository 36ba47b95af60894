package io.relink.inventory.service;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalization of e-mail addresses and UPNs: Unicode NFC, trimmed, lower-cased. */
public final class Addresses {

    // Deliberately simple: one @, no whitespace, a dot in the domain. Directories hold odd but valid
    // local parts, so anything stricter refuses real users.
    private static final Pattern PLAUSIBLE_ADDRESS = Pattern.compile("^[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+$");

    private Addresses() {
    }

    /** @return the normalized form, or {@code null} for a blank value */
    public static String normalize(String address) {
        if (address == null) {
            return null;
        }
        String trimmed = Normalizer.normalize(address, Normalizer.Form.NFC).strip();
        return trimmed.isEmpty() ? null : trimmed.toLowerCase(Locale.ROOT);
    }

    /** The part after the last {@code @}, or null. */
    public static String domainOf(String normalized) {
        if (normalized == null) {
            return null;
        }
        int at = normalized.lastIndexOf('@');
        return at < 0 || at == normalized.length() - 1 ? null : normalized.substring(at + 1);
    }

    public static boolean isPlausible(String normalized) {
        return normalized != null && PLAUSIBLE_ADDRESS.matcher(normalized).matches();
    }
}
