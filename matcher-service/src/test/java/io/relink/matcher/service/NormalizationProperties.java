package io.relink.matcher.service;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the matcher's keys over generated names and addresses. */
class NormalizationProperties {

    @Property
    void aNameKeyIgnoresWordOrderCaseAccentsAndPunctuation(@ForAll("words") List<String> words, @ForAll long seed) {
        String key = AddressKeys.nameKey(String.join(" ", words));
        List<String> shuffled = new ArrayList<>(words);
        Collections.shuffle(shuffled, new Random(seed));
        String variant = String.join(", ", shuffled).toUpperCase(Locale.ROOT);
        assertThat(AddressKeys.nameKey(variant)).isEqualTo(key);
        assertThat(AddressKeys.nameKey(Normalizer.normalize(variant, Normalizer.Form.NFD))).isEqualTo(key);
        assertThat(key).startsWith("name:");
    }

    @Property
    void oneWordIsNeverANameKey(@ForAll("word") String word) {
        assertThat(AddressKeys.nameKey("  " + word + ". ")).isNull();
    }

    @Property
    void latinAddressesAreNeverConfusableAndOneCyrillicLetterMakesThemSo(@ForAll("latinLocal") String local,
                                                                          @ForAll @IntRange(min = 0, max = 30) int position) {
        String address = local + "@example.com";
        assertThat(AddressKeys.confusable(address)).isFalse();
        int at = position % local.length();
        Assume.that(local.charAt(at) == 'a' || local.charAt(at) == 'o' || local.charAt(at) == 'e');
        char cyrillic = switch (local.charAt(at)) {
            case 'a' -> 'а';
            case 'o' -> 'о';
            default -> 'е';
        };
        String spoofed = local.substring(0, at) + cyrillic + local.substring(at + 1) + "@example.com";
        assertThat(spoofed).isNotEqualTo(address);
        assertThat(AddressKeys.confusable(spoofed)).isTrue();
    }

    @Property
    void plusStrippingRemovesTheTagOnly(@ForAll("latinLocal") String local, @ForAll("latinLocal") String tag) {
        AddressKeys keys = new AddressKeys(MatchRulesTest.CONFIG);
        assertThat(keys.plusStripped(local + "+" + tag + "@example.com")).isEqualTo(local + "@example.com");
        assertThat(keys.plusStripped(local + "@example.com")).isNull();
        assertThat(keys.lookupKeys(local + "+" + tag + "@example.com")).containsExactly(local + "+" + tag + "@example.com",
                local + "@example.com");
    }

    @Provide
    Arbitrary<List<String>> words() {
        return word().list().ofMinSize(2).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('é', 'ö', 'ñ', 'ç').ofMinLength(1).ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> latinLocal() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(15);
    }
}
