package jp.kominkan.cloud.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jp.kominkan.cloud.web.Problem;
import org.junit.jupiter.api.Test;

/** The rules of groups that need no database: name keys, the overlap threshold, sniffing, names typed. */
class GroupRulesTest {

    @Test
    void namesCompareWithoutWidthSpacesOrCase() {
        assertThat(Overlap.key("山吹　花子")).isEqualTo(Overlap.key("山吹 花子")).isEqualTo("山吹花子");
        assertThat(Overlap.key("ﾔﾏﾌﾞｷ ﾊﾅｺ")).isEqualTo(Overlap.key("ヤマブキ・ハナコ"));
        assertThat(Overlap.key("Ｔａｒｏ Yamada")).isEqualTo("taroyamada");
        assertThat(Overlap.key("山吹 花子")).isNotEqualTo(Overlap.key("山吹 花代"));
    }

    @Test
    void aPairIsFlaggedFromHalfTheSmallerRosterAndTwoMembers() {
        assertThat(Overlap.flagged(2, 4, 10)).isTrue();
        assertThat(Overlap.flagged(2, 5, 5)).isFalse();
        assertThat(Overlap.flagged(3, 5, 40)).isTrue();
        assertThat(Overlap.flagged(1, 1, 1)).isFalse();
        assertThat(Overlap.flagged(0, 0, 3)).isFalse();
        assertThat(new Overlap(1, "x", GroupStatus.APPROVED, 3, 4).percent()).isEqualTo(75);
    }

    @Test
    void evidenceIsSniffedFromItsFirstBytesOnly() {
        assertThat(Evidence.sniff("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII))).hasValue("application/pdf");
        assertThat(Evidence.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0})).hasValue("image/jpeg");
        assertThat(Evidence.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0})).hasValue("image/png");
        assertThat(Evidence.sniff("<html>%PDF-".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(Evidence.sniff("GIF89a".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(Evidence.sniff(new byte[] {'%', 'P'})).isEmpty();
    }

    @Test
    void aMemberNameMustBePrintableAndBounded() {
        assertThat(new Member("  山吹 花子 ", Member.Residency.RESIDENT, Member.AgeBand.ELDERLY).name()).isEqualTo("山吹 花子");
        for (String bad : List.of("", "   ", "a\u0000b", "a\nb", "左\u202e右", "x".repeat(51))) {
            assertThatThrownBy(() -> new Member(bad, Member.Residency.RESIDENT, Member.AgeBand.ADULT))
                    .isInstanceOf(Problem.class).extracting(p -> ((Problem) p).field().orElse("")).isEqualTo("members");
        }
        assertThatThrownBy(() -> Member.AgeBand.of("100+")).isInstanceOf(Problem.class);
    }

    @Test
    void rosterCountsHaveEveryBandAndResidency() {
        RosterCounts counts = RosterCounts.of(List.of(
                new Member("一", Member.Residency.RESIDENT, Member.AgeBand.ELDERLY),
                new Member("二", Member.Residency.NON_RESIDENT, Member.AgeBand.ELDERLY),
                new Member("三", Member.Residency.RESIDENT, Member.AgeBand.UNDER_18)));
        assertThat(counts.total()).isEqualTo(3);
        assertThat(counts.of(Member.AgeBand.ELDERLY)).isEqualTo(2);
        assertThat(counts.of(Member.AgeBand.SENIOR)).isZero();
        assertThat(counts.of(Member.Residency.RESIDENT)).isEqualTo(2);
        assertThat(counts.byAgeBand()).hasSize(4);
    }
}
