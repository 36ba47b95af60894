package io.relink.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SampleOrgGeneratorTest {

    @Test
    void sameSeedGivesTheSameOrg() {
        assertThat(SampleOrgGenerator.generate(300, 7)).isEqualTo(SampleOrgGenerator.generate(300, 7));
        assertThat(SampleOrgGenerator.generate(300, 7)).isNotEqualTo(SampleOrgGenerator.generate(300, 8));
    }

    @Test
    void theOrgContainsTheMessTheMatcherMustHandle() {
        var people = SampleOrgGenerator.generate(2000, 42);
        assertThat(people.stream().filter(SampleOrgGenerator.Person::inAtlassian)).hasSize(2000);
        assertThat(people).anyMatch(p -> p.inAtlassian() && !p.inEntra());
        assertThat(people).anyMatch(p -> p.inAtlassian() && !p.atlassianActive());
        assertThat(people).anyMatch(p -> p.inEntra() && !p.upn().equals(p.entraMail()));
        assertThat(people).anyMatch(p -> "Guest".equals(p.userType()));
        assertThat(people).anyMatch(p -> SampleOrgGenerator.SSO_POLICY.equals(p.policy()));
        assertThat(people).anyMatch(p -> p.inAtlassian() && !p.atlassianEmail().equals(p.entraMail())
                && p.atlassianEmail().equalsIgnoreCase(p.entraMail()));
    }
}
