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
 * 横浜市 杉田地区センター (磯子区), 3-hour コマ: 月〜土 午前 9–12, 午後① 12–15, 午後② 15–18, 夜間 18–21;
 * 日曜・祝日 午後② 15–17 at its own price and no 夜間; 延長 per hour; "利用日を含めた7日前 (月曜日利用の
 * 場合、前週の火曜日) からの申し込みは 1コマ半額" (not for 延長).
 * Source: https://isogo-sk.com/?p=63 (the 指定管理者's page, not the ordinance text; §5 of
 * docs/fees-payments-research.md). The page gives 延長 without a 日祝 rate and no 夜間 on 日祝, so
 * the fixture has no 日祝 overrun: time after 17:00 on 日祝 is refused.
 */
class YokohamaSugitaGoldenTest {

    private final FeeSchedule chukaigi = schedule("yokohama-sugita-chukaigishitsu");
    private final FeeSchedule washitsu1 = schedule("yokohama-sugita-washitsu1");
    private final FeeSchedule washitsu2 = schedule("yokohama-sugita-washitsu2");

    @Test
    void aKomaCostsTheRoomsPriceFrom510To990() {
        assertEquals(780, on("2026-06-10", "09:00", "12:00").quote(chukaigi).total());
        assertEquals(510, on("2026-06-10", "18:00", "21:00").quote(washitsu1).total());
        assertEquals(990, on("2026-06-13", "12:00", "15:00").quote(washitsu2).total());
    }

    @Test
    void onSundaysAndHolidaysTheSecondAfternoonIsTwoHoursAtItsOwnPrice() {
        // 2026-06-14 is a Sunday; 2026-07-20 (海の日) a Monday holiday.
        Quote sunday = on("2026-06-14", "15:00", "17:00").quote(chukaigi);
        assertEquals(520, sunday.total());
        assertEquals(List.of("午後②"), codes(sunday, QuoteLine.Kind.BASE));
        assertEquals(340, on("2026-07-20", "15:00", "17:00").quote(washitsu1).total());
        assertEquals(780, on("2026-07-13", "15:00", "18:00").quote(chukaigi).total());
    }

    @Test
    void thereIsNoEveningOnSundaysAndHolidays() {
        FeeException e = assertThrows(FeeException.class, () -> on("2026-06-14", "18:00", "21:00").quote(chukaigi));
        assertEquals("outside-schedule", e.code());
        assertEquals(true, e.messageJa().contains("18:00–21:00"), e.messageJa());
    }

    @Test
    void overrunIsChargedPerStartedHourOutsideTheBands() {
        // 8:00–12:00 on a weekday: 午前 780 + one hour of 延長 at 260.
        Quote quote = on("2026-06-10", "08:00", "12:00").quote(chukaigi);
        assertEquals(260, yenOf(quote, QuoteLine.Kind.OVERRUN));
        assertEquals(1_040, quote.total());
        // 8:15–9:00 is a started hour too.
        assertEquals(1_040, on("2026-06-10", "08:15", "12:00").quote(chukaigi).total());
    }

    @Test
    void aBookingFromSixDaysBeforeTheUseDateIsHalfPrice() {
        // The page's own example: a Monday use (2026-06-15) is half price when booked from the Tuesday before.
        Quote late = on("2026-06-15", "09:00", "15:00").bookedOn("2026-06-09").quote(chukaigi);
        assertEquals(-780, yenOf(late, QuoteLine.Kind.DISCOUNT));
        assertEquals(780, late.total());
        assertEquals(1_560, on("2026-06-15", "09:00", "15:00").bookedOn("2026-06-08").quote(chukaigi).total());
        assertEquals(255, on("2026-06-15", "09:00", "12:00").bookedOn("2026-06-15").quote(washitsu1).total());
    }

    @Test
    void theLateDiscountLeavesOverrunAlone() {
        Quote quote = on("2026-06-10", "08:00", "12:00").bookedOn("2026-06-10").quote(chukaigi);
        assertEquals(-390, yenOf(quote, QuoteLine.Kind.DISCOUNT));
        assertEquals(390 + 260, quote.total());
    }
}
