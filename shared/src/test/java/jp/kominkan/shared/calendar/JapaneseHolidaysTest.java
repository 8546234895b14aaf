package jp.kominkan.shared.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The computed holidays against lists written out by hand. 2026: 内閣府's list as quoted at
 * nihon-hanzai-jiken.com/?p=123505 (5/6 振替休日, 9/22 国民の休日 included); 2027: 内閣府's announcement
 * reported at news.livedoor.com/topics/detail/30494256 and …/30496293 (成人の日 1/11, 春分の日 3/21, 海の日
 * 7/19, 山の日 8/11, 秋分の日 9/23); 2025: the law's rules applied by hand
 * (docs/fees-payments-research.md §4). Not regenerated from the code under test.
 */
class JapaneseHolidaysTest {

    static List<String> days(int year) {
        return JapaneseHolidays.of(year).entrySet().stream()
                .map(e -> e.getKey().toString().substring(5) + " " + e.getValue()).toList();
    }

    @Test
    void twentyTwentyFive() {
        assertThat(days(2025)).containsExactly("01-01 元日", "01-13 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日",
                "02-24 振替休日", "03-20 春分の日", "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日",
                "05-06 振替休日", "07-21 海の日", "08-11 山の日", "09-15 敬老の日", "09-23 秋分の日", "10-13 スポーツの日",
                "11-03 文化の日", "11-23 勤労感謝の日", "11-24 振替休日");
    }

    @Test
    void twentyTwentySix() {
        assertThat(days(2026)).containsExactly("01-01 元日", "01-12 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日",
                "03-20 春分の日", "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日", "05-06 振替休日",
                "07-20 海の日", "08-11 山の日", "09-21 敬老の日", "09-22 国民の休日", "09-23 秋分の日", "10-12 スポーツの日",
                "11-03 文化の日", "11-23 勤労感謝の日");
    }

    @Test
    void twentyTwentySeven() {
        assertThat(days(2027)).containsExactly("01-01 元日", "01-11 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日",
                "03-21 春分の日", "03-22 振替休日", "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日",
                "07-19 海の日", "08-11 山の日", "09-20 敬老の日", "09-23 秋分の日", "10-11 スポーツの日", "11-03 文化の日",
                "11-23 勤労感謝の日");
    }

    @Test
    void oneDayAtATimeAndTheRangeIsSaid() {
        assertThat(JapaneseHolidays.name(LocalDate.of(2026, 9, 22))).contains("国民の休日");
        assertThat(JapaneseHolidays.isHoliday(LocalDate.of(2026, 9, 24))).isFalse();
        assertThat(JapaneseHolidays.isHoliday(LocalDate.of(2025, 11, 24))).isTrue();
        // Every year of the range: no holiday on top of another, 16 named 祝日 each, substitutes never on a Sunday.
        Stream.iterate(JapaneseHolidays.FIRST_YEAR, y -> y <= JapaneseHolidays.LAST_YEAR, y -> y + 1).forEach(year -> {
            Map<LocalDate, String> days = JapaneseHolidays.of(year);
            assertThat(days.values().stream().filter(n -> !n.equals("振替休日") && !n.equals("国民の休日")).count())
                    .as(String.valueOf(year)).isEqualTo(16);
            days.forEach((day, name) -> assertThat(day.getYear()).isEqualTo(year));
        });
        assertThatThrownBy(() -> JapaneseHolidays.of(2021)).hasMessageContaining("2022–2099");
        assertThatThrownBy(() -> JapaneseHolidays.of(2100)).isInstanceOf(IllegalArgumentException.class);
    }
}
