package io.relink.matcher.service;

import io.relink.matcher.config.MatcherConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.lang.Character.UnicodeScript;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Derived lookup keys of an Atlassian address, and the confusable-characters check. */
@ApplicationScoped
public class AddressKeys {

    private final Map<String, String> domainAliases;

    public AddressKeys(MatcherConfig config) {
        this.domainAliases = parseAliases(config.domainAliases().orElse(""));
    }

    /** {@code name+tag@domain} -> {@code name@domain}; null when there is no tag. */
    public String plusStripped(String address) {
        if (address == null) {
            return null;
        }
        int at = address.indexOf('@');
        int plus = address.indexOf('+');
        return plus > 0 && plus < at ? address.substring(0, plus) + address.substring(at) : null;
    }

    /** The address at the renamed domain, when its domain has a configured alias; else null. */
    public String domainAliased(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        String renamed = at < 0 ? null : domainAliases.get(address.substring(at + 1));
        return renamed == null ? null : address.substring(0, at + 1) + renamed;
    }

    /** The account's email and every derived key it may be found under. */
    public Set<String> lookupKeys(String email) {
        Set<String> keys = new LinkedHashSet<>();
        if (email != null) {
            keys.add(email);
            addIfPresent(keys, plusStripped(email));
            addIfPresent(keys, domainAliased(email));
        }
        return keys;
    }

    /**
     * True when the address mixes Latin letters with Cyrillic or Greek ones (e.g. a Cyrillic "а" inside
     * "ada@..."): such an address is never matched automatically.
     */
    public static boolean confusable(String address) {
        if (address == null) {
            return false;
        }
        Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
        address.codePoints().filter(Character::isLetter).forEach(cp -> scripts.add(UnicodeScript.of(cp)));
        return scripts.contains(UnicodeScript.LATIN)
                && (scripts.contains(UnicodeScript.CYRILLIC) || scripts.contains(UnicodeScript.GREEK));
    }

    /** The index key of an Entra object id (Entra users, and SCIM users by the externalId the IdP set). */
    public static String objectIdKey(String objectId) {
        return objectId == null ? null : "oid:" + objectId;
    }

    /** The index key of an Atlassian account id (accounts, and SCIM users by the account they are linked to). */
    public static String accountKey(String accountId) {
        return accountId == null ? null : "acct:" + accountId;
    }

    /**
     * A display name reduced to what a person would call the same name: accents and punctuation dropped, case
     * folded, words sorted ("Lovelace, Ada" = "ada lovelace"); null for a name of fewer than two words, which
     * says too little to be evidence.
     */
    private static final java.util.regex.Pattern MARKS = java.util.regex.Pattern.compile("\\p{M}+");
    private static final java.util.regex.Pattern NOT_LETTERS_OR_DIGITS = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");

    public static String nameKey(String displayName) {
        if (displayName == null) {
            return null;
        }
        String unaccented = MARKS.matcher(java.text.Normalizer.normalize(displayName, java.text.Normalizer.Form.NFKD)).replaceAll("");
        String plain = NOT_LETTERS_OR_DIGITS.matcher(unaccented.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        String[] words = plain.isEmpty() ? new String[0] : plain.split(" ");
        if (words.length < 2) {
            return null;
        }
        java.util.Arrays.sort(words);
        return "name:" + String.join(" ", words);
    }

    private static void addIfPresent(Set<String> keys, String key) {
        if (key != null) {
            keys.add(key);
        }
    }

    static Map<String, String> parseAliases(String spec) {
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=");
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("relink.matcher.domain-aliases: expected old=new[,old2=new2], got '" + pair + "'");
            }
            aliases.put(parts[0].strip().toLowerCase(Locale.ROOT), parts[1].strip().toLowerCase(Locale.ROOT));
        }
        return aliases;
    }
}
