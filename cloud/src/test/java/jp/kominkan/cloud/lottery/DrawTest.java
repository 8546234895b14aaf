package jp.kominkan.cloud.lottery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The draw as an auditor recomputes it: the same list and seed give the same result, tiers are served first,
 * first wishes before second ones, caps kept, a set of consecutive units won whole or not at all, substitutes in
 * draw order; and the commitments move when anything they cover moves.
 */
class DrawTest {

    static final Caps CAPS = new Caps(2, 2, 3);
    static final List<Long> UNITS = List.of(1L, 2L, 3L, 4L);

    static byte[] seed(String text) {
        return Draw.sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    static Entry entry(String id, String applicant, int tier, List<List<Long>> wishes) {
        return new Entry(id, applicant, Optional.empty(), tier, wishes);
    }

    static List<Entry> crowd(int n) {
        return IntStream.range(0, n).mapToObj(i -> entry("A" + i, "p" + i, i % 2,
                List.of(List.of(1L + i % 4), List.of(1L + (i + 1) % 4)))).toList();
    }

    @Test
    void theSameListAndSeedGiveTheSameResultWhateverOrderTheListIsIn() {
        List<Entry> list = crowd(40);
        List<Entry> shuffled = new ArrayList<>(list);
        java.util.Collections.reverse(shuffled);
        DrawResult once = Draw.run(UNITS, list, CAPS, seed("a"));
        assertThat(Draw.run(UNITS, shuffled, CAPS, seed("a"))).isEqualTo(once);
        assertThat(once.wins()).hasSize(4);
    }

    @Test
    void anotherSeedGivesAnotherOrder() {
        List<Entry> list = crowd(40);
        assertThat(Draw.run(UNITS, list, CAPS, seed("a")).order())
                .isNotEqualTo(Draw.run(UNITS, list, CAPS, seed("b")).order());
    }

    @Test
    void aHigherTierIsServedFirstAndFirstWishesBeforeSecondOnes() {
        // Tier 1 comes first in the list but tier 0 wins unit 1; the tier-1 applicant's first wish (1) is taken,
        // and its second wish (2) is still free in round 2 because nobody else wanted 2 first.
        List<Entry> list = List.of(entry("B", "pb", 1, List.of(List.of(1L), List.of(2L))),
                entry("A", "pa", 0, List.of(List.of(1L))));
        DrawResult result = Draw.run(UNITS, list, CAPS, seed("tiers"));
        assertThat(result.order()).containsExactly("A", "B");
        assertThat(result.wins()).containsExactly(new DrawResult.Win("A", 1, List.of(1L)),
                new DrawResult.Win("B", 2, List.of(2L)));
    }

    @Test
    void winsPerApplicantAndPerGroupAreCapped() {
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            list.add(new Entry("P" + i, "same-person", Optional.empty(), 0, List.of(List.of((long) i + 1))));
        }
        assertThat(Draw.run(UNITS, list, new Caps(2, 9, 0), seed("x")).wins()).hasSize(2);
        List<Entry> group = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            group.add(new Entry("G" + i, "p" + i, Optional.of("g1"), 0, List.of(List.of((long) i + 1))));
        }
        assertThat(Draw.run(UNITS, group, new Caps(9, 3, 0), seed("x")).wins()).hasSize(3);
    }

    @Test
    void aSetOfConsecutiveUnitsIsWonWholeOrNotAtAll() {
        List<Entry> list = List.of(entry("A", "pa", 0, List.of(List.of(2L))),
                entry("B", "pb", 1, List.of(List.of(1L, 2L), List.of(3L, 4L))));
        DrawResult result = Draw.run(UNITS, list, CAPS, seed("set"));
        assertThat(result.wins()).containsExactly(new DrawResult.Win("A", 1, List.of(2L)),
                new DrawResult.Win("B", 2, List.of(3L, 4L)));
    }

    @Test
    void noUnitIsGivenTwiceAndSubstitutesFollowTheDrawOrder() {
        List<Entry> list = crowd(200);
        DrawResult result = Draw.run(UNITS, list, CAPS, seed("many"));
        Set<Long> given = new HashSet<>();
        result.wins().forEach(w -> w.units().forEach(u -> assertThat(given.add(u)).as("unit " + u).isTrue()));
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < result.order().size(); i++) {
            position.put(result.order().get(i), i);
        }
        Set<String> winners = new HashSet<>();
        result.wins().forEach(w -> winners.add(w.application()));
        result.substitutes().forEach((unit, list2) -> {
            assertThat(list2).hasSize(3);
            assertThat(list2).noneMatch(s -> winners.contains(s.application()));
            assertThat(list2.stream().map(s -> position.get(s.application())).toList()).isSorted();
        });
    }

    @Test
    void aWishForAUnitOutsideTheRoundCannotBeDrawn() {
        assertThatThrownBy(() -> Draw.run(UNITS, List.of(entry("A", "pa", 0, List.of(List.of(9L)))), CAPS, seed("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unit 9");
    }

    @Test
    void theCommitmentMovesWithAnyChangeToAnApplication() {
        List<Entry> list = crowd(10);
        Commitments.Frame frame = new Commitments.Frame(1, CAPS, UNITS);
        String commitment = Commitments.applications(frame, list);
        List<Entry> changedWish = new ArrayList<>(list);
        changedWish.set(3, entry("A3", "p3", 1, List.of(List.of(2L))));
        List<Entry> changedTier = new ArrayList<>(list);
        changedTier.set(3, new Entry("A3", "p3", Optional.empty(), 0, list.get(3).wishes()));
        assertThat(Commitments.applications(frame, changedWish)).isNotEqualTo(commitment);
        assertThat(Commitments.applications(frame, changedTier)).isNotEqualTo(commitment);
        assertThat(Commitments.applications(frame, list.subList(0, 9))).isNotEqualTo(commitment);
        assertThat(Commitments.applications(frame, List.copyOf(list))).isEqualTo(commitment);
        assertThat(Commitments.applications(new Commitments.Frame(1, new Caps(9, 2, 3), UNITS), list))
                .as("other caps").isNotEqualTo(commitment);
        assertThat(Commitments.applications(new Commitments.Frame(1, CAPS, List.of(1L, 2L, 3L)), list))
                .as("a unit less").isNotEqualTo(commitment);
        assertThat(Commitments.applications(new Commitments.Frame(2, CAPS, UNITS), list))
                .as("another round").isNotEqualTo(commitment);
    }

    @Test
    void theSeedDependsOnTheSecretTheRandomnessAndTheCommitment() {
        byte[] secret = seed("secret");
        byte[] seed = Commitments.seed(secret, "3 1 4 1 5 9 2 6", "c1");
        assertThat(Commitments.seed(secret, "3 1 4 1 5 9 2 6", "c1")).isEqualTo(seed);
        assertThat(Commitments.seed(secret, "3 1 4 1 5 9 2 7", "c1")).isNotEqualTo(seed);
        assertThat(Commitments.seed(secret, "3 1 4 1 5 9 2 6", "c2")).isNotEqualTo(seed);
        assertThat(Commitments.seed(seed("other"), "3 1 4 1 5 9 2 6", "c1")).isNotEqualTo(seed);
    }

    @Test
    void pseudonymsAndIdsThatCouldMakeTheCanonicalTextAmbiguousAreRefused() {
        assertThatThrownBy(() -> entry("A\tB", "p", 0, List.of(List.of(1L)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry("A", "p;q", 0, List.of(List.of(1L)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry("A", "p", 0, List.of(List.of(1L, 1L)))).isInstanceOf(IllegalArgumentException.class);
    }
}
