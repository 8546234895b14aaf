package jp.kominkan.cloud.fee;

import java.util.List;

import org.junit.jupiter.api.Test;

import static jp.kominkan.cloud.fee.Fixtures.codes;
import static jp.kominkan.cloud.fee.Fixtures.on;
import static jp.kominkan.cloud.fee.Fixtures.schedule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * 鉾田市立公民館使用料条例（平成17年条例第84号）別表第1, 鉾田中央公民館: bands 午前 9–13, 午後 13–17,
 * 夜 17–22 and 1日 9–22, whose price is not the sum of the bands.
 * Source: https://www.city.hokota.lg.jp/reiki_int/reiki_honbun/r229RG00000242.html
 * (read for docs/fees-payments-research.md §5). Expected yen are the table's.
 */
class HokotaGoldenTest {

    private final FeeSchedule hall = schedule("hokota-daishukaishitsu");
    private final FeeSchedule meeting = schedule("hokota-kaigishitsu");
    private final FeeSchedule assembly = schedule("hokota-shukaishitsu");

    @Test
    void eachBandOfTheMainHallCostsWhatTheTableSays() {
        assertEquals(1_050, on("2026-06-10", "09:00", "13:00").quote(hall).total());
        assertEquals(1_050, on("2026-06-10", "13:00", "17:00").quote(hall).total());
        assertEquals(1_570, on("2026-06-10", "17:00", "22:00").quote(hall).total());
    }

    @Test
    void theWholeDayOfTheMainHallIs2620NotTheSumOfItsBands() {
        Quote quote = on("2026-06-10", "09:00", "22:00").quote(hall);
        assertEquals(2_620, quote.total());
        assertEquals(List.of("1日"), codes(quote, QuoteLine.Kind.BASE));
    }

    @Test
    void partOfABandIsChargedAsTheWholeBand() {
        assertEquals(1_050, on("2026-06-10", "10:00", "11:00").quote(hall).total());
        // 12:00–14:00 touches 午前 and 午後.
        assertEquals(2_100, on("2026-06-10", "12:00", "14:00").quote(hall).total());
    }

    @Test
    void morningAndAfternoonOfTheMeetingRoomCost1040ButItsWholeDayIs1050() {
        assertEquals(1_040, on("2026-06-10", "09:00", "17:00").quote(meeting).total());
        assertEquals(1_050, on("2026-06-10", "09:00", "22:00").quote(meeting).total());
    }

    @Test
    void theAssemblyRoomFollowsItsRow() {
        assertEquals(520, on("2026-06-13", "09:00", "13:00").quote(assembly).total());
        assertEquals(840, on("2026-06-13", "17:00", "22:00").quote(assembly).total());
        assertEquals(1_570, on("2026-06-13", "09:00", "22:00").quote(assembly).total());
    }

    @Test
    void timeOutsideEveryBandIsRefusedWhenTheOrdinanceHasNoOverrun() {
        FeeException e = assertThrows(FeeException.class, () -> on("2026-06-10", "08:00", "10:00").quote(hall));
        assertEquals("outside-schedule", e.code());
        assertEquals(true, e.messageJa().startsWith("この時間帯は料金表にありません"));
        assertEquals(true, e.messageJa().contains("8:00–9:00"), e.messageJa());
    }
}
