package jp.kominkan.cloud.fee;

import java.util.List;

import org.junit.jupiter.api.Test;

import static jp.kominkan.cloud.fee.Fixtures.codes;
import static jp.kominkan.cloud.fee.Fixtures.on;
import static jp.kominkan.cloud.fee.Fixtures.schedule;
import static jp.kominkan.cloud.fee.Fixtures.yenOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ときがわ町 大ホール (楽屋含む): 午前 9:00–12:00, 午後 13:00–17:00, 夜間 17:30–21:30, 全日 9:00–21:30;
 * 平日 (火〜金) 8,000 / 11,000 / 14,000 / 27,000, 土日祝 10,000 / 13,000 / 16,000 / 32,000. 備考(4):
 * ア 入場料 1,000–1,999 → +50/100, イ ≥ 2,000 → +100/100, ウ no admission but 営利 → +100/100, エ mainly
 * people from outside the town → +50/100; 備考(5): several apply → the amounts of all the rates are
 * added. 休日 are those of the 祝日法, so 振替休日 and 国民の休日 are 土日祝.
 * Source: https://tokigawa.temp.wms.ne.jp/Info/471 (docs/fees-payments-research.md §5).
 */
class TokigawaGoldenTest {

    private final FeeSchedule hall = schedule("tokigawa-daihall");

    @Test
    void weekdayPricesAreTheTables() {
        assertEquals(8_000, on("2026-06-10", "09:00", "12:00").quote(hall).total());
        assertEquals(11_000, on("2026-06-10", "13:00", "17:00").quote(hall).total());
        assertEquals(14_000, on("2026-06-10", "17:30", "21:30").quote(hall).total());
        assertEquals(27_000, on("2026-06-10", "09:00", "21:30").quote(hall).total());
    }

    @Test
    void weekendPricesAreTheTables() {
        assertEquals(10_000, on("2026-06-13", "09:00", "12:00").quote(hall).total());
        assertEquals(13_000, on("2026-06-14", "13:00", "17:00").quote(hall).total());
        assertEquals(16_000, on("2026-06-14", "17:30", "21:30").quote(hall).total());
        assertEquals(32_000, on("2026-06-13", "09:00", "21:30").quote(hall).total());
    }

    @Test
    void aSubstituteHolidayIsPricedAsAWeekendDay() {
        // 2026-05-06 (Wed) is 振替休日 for 憲法記念日 on a Sunday.
        Quote quote = on("2026-05-06", "09:00", "21:30").quote(hall);
        assertEquals(32_000, quote.total());
        assertEquals(27_000, on("2026-05-13", "09:00", "21:30").quote(hall).total());
    }

    @Test
    void aCitizensHolidayIsPricedAsAWeekendDay() {
        // 2026-09-22 (Tue) is 国民の休日, between 敬老の日 and 秋分の日.
        assertEquals(10_000, on("2026-09-22", "09:00", "12:00").quote(hall).total());
    }

    @Test
    void aMondayThatIsNoHolidayIsNotInTheTable() {
        FeeException e = assertThrows(FeeException.class, () -> on("2026-07-13", "09:00", "12:00").quote(hall));
        assertEquals("no-fee-on-day", e.code());
        // 海の日, a Monday holiday, is 土日祝.
        assertEquals(10_000, on("2026-07-20", "09:00", "12:00").quote(hall).total());
    }

    @Test
    void theLunchBreakBetweenTwoBookedBandsIsNotCharged() {
        Quote quote = on("2026-06-10", "09:00", "17:00").quote(hall);
        assertEquals(19_000, quote.total());
        assertEquals(List.of("午前", "午後"), codes(quote, QuoteLine.Kind.BASE));
        assertEquals(0, yenOf(quote, QuoteLine.Kind.OVERRUN));
    }

    @Test
    void theLunchBreakAloneIsNotInTheTable() {
        assertThrows(FeeException.class, () -> on("2026-06-10", "12:00", "13:00").quote(hall));
    }

    @Test
    void theOrdinancesExampleAdmission1500AndMainlyOutsidersIs54000() {
        Quote quote = on("2026-06-10", "09:00", "21:30").purpose(1_500, false, true).quote(hall);
        assertEquals(54_000, quote.total());
        assertEquals(List.of("入場料1000", "町外対象"), codes(quote, QuoteLine.Kind.SURCHARGE));
        assertEquals(27_000, yenOf(quote, QuoteLine.Kind.SURCHARGE));
    }

    @Test
    void admissionOf2000OrMoreDoublesTheFee() {
        assertEquals(16_000, on("2026-06-10", "09:00", "12:00").purpose(2_000, false, false).quote(hall).total());
        assertEquals(12_000, on("2026-06-10", "09:00", "12:00").purpose(1_999, false, false).quote(hall).total());
        assertEquals(8_000, on("2026-06-10", "09:00", "12:00").purpose(999, false, false).quote(hall).total());
    }

    @Test
    void commercialUseWithoutAdmissionDoublesTheFeeButWithAdmissionOnlyTheAdmissionRateCounts() {
        assertEquals(16_000, on("2026-06-10", "09:00", "12:00").purpose(0, true, false).quote(hall).total());
        // ウ is for uses that charge no admission: 営利 with 1,500 yen admission is ア only.
        assertEquals(12_000, on("2026-06-10", "09:00", "12:00").purpose(1_500, true, false).quote(hall).total());
    }

    @Test
    void allRatesAreAddedOnTheTableFee() {
        // 土日祝 全日 32,000: 営利 (+100 %) and mainly outsiders (+50 %) → 32,000 × 2.5.
        assertEquals(80_000, on("2026-06-13", "09:00", "21:30").purpose(0, true, true).quote(hall).total());
    }
}
