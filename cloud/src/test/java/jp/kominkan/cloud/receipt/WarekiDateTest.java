package jp.kominkan.cloud.receipt;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarekiDateTest {

    @Test
    void printsEraYearMonthDay() {
        assertThat(WarekiDate.format(LocalDate.of(2026, 12, 1))).isEqualTo("令和8年12月1日");
    }

    @Test
    void firstYearOfReiwaIsGannenNotOne() {
        assertThat(WarekiDate.format(LocalDate.of(2019, 5, 1))).isEqualTo("令和元年5月1日");
        assertThat(WarekiDate.format(LocalDate.of(2019, 12, 31))).isEqualTo("令和元年12月31日");
        assertThat(WarekiDate.format(LocalDate.of(2020, 1, 1))).isEqualTo("令和2年1月1日");
    }

    @Test
    void lastDayOfHeiseiIsHeisei31() {
        assertThat(WarekiDate.format(LocalDate.of(2019, 4, 30))).isEqualTo("平成31年4月30日");
    }

    @Test
    void showaEndsOn7JanuaryAndHeiseiGannenStartsOn8January1989() {
        assertThat(WarekiDate.format(LocalDate.of(1989, 1, 7))).isEqualTo("昭和64年1月7日");
        assertThat(WarekiDate.format(LocalDate.of(1989, 1, 8))).isEqualTo("平成元年1月8日");
    }

    @Test
    void taishoShowaAndMeijiTaishoBoundaries() {
        assertThat(WarekiDate.format(LocalDate.of(1926, 12, 24))).isEqualTo("大正15年12月24日");
        assertThat(WarekiDate.format(LocalDate.of(1926, 12, 25))).isEqualTo("昭和元年12月25日");
        assertThat(WarekiDate.format(LocalDate.of(1912, 7, 29))).isEqualTo("明治45年7月29日");
        assertThat(WarekiDate.format(LocalDate.of(1912, 7, 30))).isEqualTo("大正元年7月30日");
    }

    @Test
    void combinedFormAddsTheIsoDateInFullWidthParentheses() {
        assertThat(WarekiDate.formatWithIso(LocalDate.of(2026, 12, 1))).isEqualTo("令和8年12月1日（2026-12-01）");
        assertThat(WarekiDate.formatWithIso(LocalDate.of(2019, 5, 1))).isEqualTo("令和元年5月1日（2019-05-01）");
    }

    @Test
    void refusesDaysBeforeTheGregorianCalendarWasAdopted() {
        assertThat(WarekiDate.format(LocalDate.of(1873, 1, 1))).isEqualTo("明治6年1月1日");
        assertThatThrownBy(() -> WarekiDate.format(LocalDate.of(1872, 12, 31)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
