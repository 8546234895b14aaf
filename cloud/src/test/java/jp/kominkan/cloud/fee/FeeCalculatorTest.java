package jp.kominkan.cloud.fee;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static jp.kominkan.cloud.fee.Fixtures.codes;
import static jp.kominkan.cloud.fee.Fixtures.on;
import static jp.kominkan.cloud.fee.Fixtures.schedule;
import static jp.kominkan.cloud.fee.Fixtures.yenOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The calculator's rules on small made-up schedules, where each expected amount follows from the
 * rule by hand: rounding, how surcharges combine, seasonal ranges across the year end, equipment,
 * reductions, midnight, and the flat hourly price of rooms without a schedule.
 */
class FeeCalculatorTest {

    /** 1,000 yen a band, 9–12 and 13–17, every day; optional extra JSON members. */
    private static FeeSchedule simple(String extra) {
        return FeeSchedules.parse("""
                {"source": "test",
                 "day-classes": [{"name": "毎日", "weekdays": [1,2,3,4,5,6,7]}],
                 "units": [
                   {"kind": "band", "code": "午前", "from": "09:00", "to": "12:00", "prices": {"毎日": 1000}},
                   {"kind": "band", "code": "午後", "from": "13:00", "to": "17:00", "prices": {"毎日": 1234}}
                 ]%s}""".formatted(extra.isEmpty() ? "" : ", " + extra));
    }

    @ParameterizedTest(name = "{0} to {1} yen: 1,234 → {2}")
    @CsvSource({"down,1,1234", "up,1,1234", "nearest,1,1234", "down,10,1230", "up,10,1240", "nearest,10,1230",
            "down,100,1200", "up,100,1300", "nearest,100,1200"})
    void theTotalIsRoundedAndTheRoundingIsALine(String mode, int unit, long expected) {
        Quote quote = on("2026-06-10", "13:00", "17:00")
                .quote(simple("\"rounding\": {\"mode\": \"" + mode + "\", \"unit\": " + unit + "}"));
        assertEquals(expected, quote.total());
        assertEquals(expected - 1_234, yenOf(quote, QuoteLine.Kind.ROUNDING));
        assertEquals(expected == 1_234 ? 0 : 1, codes(quote, QuoteLine.Kind.ROUNDING).size());
    }

    @Test
    void nearestRoundsHalfUp() {
        // 午前 1,000 + 5 % = 1,050 → 1,100 at 100 yen; 1,000 + 2.5 % = 1,025 → 1,030 at 10 yen.
        String five = "\"surcharges\": {\"combine\": \"sum-rates\", \"items\": [{\"code\": \"s\", \"when\": {}, \"percent\": 5}]}";
        assertEquals(1_100, on("2026-06-10", "09:00", "12:00").quote(simple(five
                + ", \"rounding\": {\"mode\": \"nearest\", \"unit\": 100}")).total());
        String half = "\"surcharges\": {\"combine\": \"sum-rates\", \"items\": [{\"code\": \"s\", \"when\": {}, \"permille\": 25}]}";
        assertEquals(1_030, on("2026-06-10", "09:00", "12:00").quote(simple(half
                + ", \"rounding\": {\"mode\": \"nearest\", \"unit\": 10}")).total());
    }

    private static String twoSurcharges(String combine) {
        return """
                "surcharges": {"combine": "%s", "items": [
                  {"code": "営利", "when": {"commercial": true}, "percent": 50},
                  {"code": "市外", "when": {"non-resident-applicant": true}, "percent": 20}]}""".formatted(combine);
    }

    @Test
    void sumRatesAddsEachRateTimesTheTableFee() {
        // 1,000 + 500 + 200.
        Quote quote = on("2026-06-10", "09:00", "12:00").nonResident().purpose(0, true, false)
                .quote(simple(twoSurcharges("sum-rates")));
        assertEquals(1_700, quote.total());
    }

    @Test
    void compoundMultipliesInOrder() {
        // 1,000 × 1.5 × 1.2.
        Quote quote = on("2026-06-10", "09:00", "12:00").nonResident().purpose(0, true, false)
                .quote(simple(twoSurcharges("compound")));
        assertEquals(1_800, quote.total());
        assertEquals(1_200, on("2026-06-10", "09:00", "12:00").nonResident().quote(simple(twoSurcharges("compound")))
                .total());
        assertEquals(1_000, on("2026-06-10", "09:00", "12:00").quote(simple(twoSurcharges("compound"))).total());
    }

    @Test
    void separateResidentAndNonResidentPrices() {
        FeeSchedule schedule = FeeSchedules.parse("""
                {"source": "test", "day-classes": [{"name": "毎日", "weekdays": [1,2,3,4,5,6,7]}],
                 "units": [{"kind": "band", "code": "午前", "from": "09:00", "to": "12:00",
                            "prices": {"毎日": {"resident": 500, "non-resident": 1000}}}]}""");
        assertEquals(500, on("2026-06-10", "09:00", "12:00").quote(schedule).total());
        assertEquals(1_000, on("2026-06-10", "09:00", "12:00").nonResident().quote(schedule).total());
    }

    private static final String HEATING = """
            "seasonal": [{"code": "暖房", "label": "暖房費", "from": "12-01", "to": "03-31", "per": "hour", "yen": 300}]""";

    @ParameterizedTest(name = "{0}: {1} yen of heating")
    @CsvSource({"2026-11-30,0", "2026-12-01,900", "2026-12-31,900", "2027-01-12,900", "2027-03-31,900", "2027-04-01,0"})
    void aSeasonalRangeMayWrapTheYearEnd(String date, long heating) {
        // 13:00–15:30 is three started hours.
        Quote quote = on(date, "13:00", "15:30").quote(simple(HEATING));
        assertEquals(heating, yenOf(quote, QuoteLine.Kind.SEASONAL));
        assertEquals(1_234 + heating, quote.total());
    }

    @Test
    void seasonalPerUnitAndPercent() {
        String perUnit = "\"seasonal\": [{\"code\": \"冷房\", \"from\": \"07-01\", \"to\": \"09-15\", \"per\": \"unit\", \"yen\": 200}]";
        assertEquals(2_234 + 400, on("2026-07-10", "09:00", "17:00").quote(simple(perUnit)).total());
        String percent = "\"seasonal\": [{\"code\": \"冷暖房\", \"from\": \"07-01\", \"to\": \"09-15\", \"per\": \"percent\", \"percent\": 40}]";
        assertEquals(1_000 + 400, on("2026-07-10", "09:00", "12:00").quote(simple(percent)).total());
    }

    @Test
    void equipmentPerUseIsChargedOnceAndPerBandOncePerBand() {
        Quote quote = on("2026-06-10", "09:00", "17:00")
                .equipment("projector", 1_000, FeeRequest.Per.USE, 1)
                .equipment("mic", 300, FeeRequest.Per.BAND, 2)
                .quote(simple(""));
        assertEquals(1_000 + 300 * 2 * 2, yenOf(quote, QuoteLine.Kind.EQUIPMENT));
        // A full day counts the bands inside it: ときがわ 全日 holds 午前, 午後 and 夜間.
        Quote full = on("2026-06-10", "09:00", "21:30").equipment("mic", 300, FeeRequest.Per.BAND, 1)
                .quote(schedule("tokigawa-daihall"));
        assertEquals(900, yenOf(full, QuoteLine.Kind.EQUIPMENT));
    }

    @Test
    void halfReductionLeavesHeatingAndEquipmentAlone() {
        Quote quote = on("2026-12-15", "09:00", "12:00").equipment("mic", 300, FeeRequest.Per.USE, 1)
                .reduction(50, false, false).quote(simple(HEATING));
        // 1,000 − 500 + 300 (mic) + 900 (heating, 3 hours).
        assertEquals(-500, yenOf(quote, QuoteLine.Kind.REDUCTION));
        assertEquals(1_700, quote.total());
    }

    @Test
    void fullExemptionStillChargesHeatingAndMayCoverEquipment() {
        Quote quote = on("2026-12-15", "09:00", "12:00").equipment("mic", 300, FeeRequest.Per.USE, 1)
                .reduction(100, true, false).quote(simple(HEATING));
        assertEquals(900, quote.total());
        assertEquals(List.of("暖房"), codes(quote, QuoteLine.Kind.SEASONAL));
    }

    @Test
    void aReductionThatExcludesAdmissionIsRefusedWhenAdmissionIsCharged() {
        FeeException e = assertThrows(FeeException.class, () -> on("2026-06-10", "09:00", "12:00")
                .purpose(500, false, false).reduction(50, false, true).quote(simple("")));
        assertEquals("reduction-not-with-admission", e.code());
        assertEquals(500, on("2026-06-10", "09:00", "12:00").reduction(50, false, true).quote(simple("")).total());
    }

    @Test
    void aBookingAcrossMidnightIsPricedPerDayByItsOwnDayClass() {
        FeeSchedule schedule = FeeSchedules.parse("""
                {"source": "test",
                 "day-classes": [{"name": "平日", "weekdays": [1,2,3,4,5]}, {"name": "土日祝", "weekdays": [6,7], "holiday": true}],
                 "units": [{"kind": "hourly", "code": "時間", "from": "00:00", "to": "24:00", "per-minutes": 60,
                            "charge": "pro-rata", "prices": {"平日": 600, "土日祝": 900}}]}""");
        // Friday 2026-05-01 23:00 to Saturday 02:00: one weekday hour, two weekend hours.
        Quote quote = on("2026-05-01", "23:00", "24:00").until("2026-05-02T02:00").quote(schedule);
        assertEquals(600 + 1_800, quote.total());
        assertEquals(2, codes(quote, QuoteLine.Kind.BASE).size());
    }

    @Test
    void bandsAcrossMidnightAreChargedOnEachDay() {
        // 鉾田 has no overrun: 21:00 to 10:00 the next day leaves 22:00–9:00 outside every band.
        FeeSchedule hall = schedule("hokota-daishukaishitsu");
        assertThrows(FeeException.class, () -> on("2026-06-10", "21:00", "24:00").until("2026-06-11T10:00").quote(hall));
        FeeSchedule sugita = schedule("yokohama-sugita-chukaigishitsu");
        // 20:00 Saturday to 01:00 Sunday: 夜間 (月〜土) 780 + 21–24 overrun 3 × 260; Sunday 0–1 has no overrun price.
        FeeException e = assertThrows(FeeException.class,
                () -> on("2026-06-13", "20:00", "24:00").until("2026-06-14T01:00").quote(sugita));
        assertEquals(true, e.messageJa().contains("2026-06-14"), e.messageJa());
        assertEquals(780 + 780, on("2026-06-13", "20:00", "24:00").quote(sugita).total());
    }

    @ParameterizedTest(name = "{0} and {1} yen an hour for {2} slots")
    @CsvSource({"730,1460,1", "730,1460,2", "730,1460,3", "999,1999,5", "1,3,1", "0,0,4", "1234,2345,96"})
    void theHourlyScheduleChargesWhatTheFlatHourlyPriceDid(int resident, int nonResident, int slots) {
        // BookingService.reservationFor: price × slots / 4, truncated once.
        FeeSchedule hourly = FeeSchedules.hourly(resident, nonResident);
        Fixtures.Req req = on("2026-06-10", "10:00", "10:00").until(
                java.time.LocalDateTime.of(2026, 6, 10, 10, 0).plusMinutes(15L * slots).toString());
        assertEquals((long) resident * slots / 4, req.quote(hourly).total());
        assertEquals((long) nonResident * slots / 4, req.nonResident().quote(hourly).total());
    }

    @Test
    void theHourlyScheduleTruncatesOnceAcrossMidnightToo() {
        // 23:45–00:15 is two slots: 730 × 2 / 4 = 365, not 182 + 182.
        assertEquals(365, on("2026-06-10", "23:45", "24:00").until("2026-06-11T00:15")
                .quote(FeeSchedules.hourly(730, 1460)).total());
    }

    @Test
    void aQuoteRoundTripsAsJsonAndSummarisesInJapanese() {
        Quote quote = on("2026-06-10", "09:00", "21:30").purpose(1_500, false, true).quote(schedule("tokigawa-daihall"));
        assertEquals(quote, Quotes.fromJson(quote.toJson()));
        assertEquals(true, quote.summaryJa().endsWith("合計 54,000円"), quote.summaryJa());
        String tampered = quote.toJson().replace("\"total\" : 54000", "\"total\" : 50000");
        assertThrows(FeeScheduleException.class, () -> Quotes.fromJson(tampered));
    }

    @Test
    void aQuoteWhoseLinesDoNotAddUpCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new Quote(
                List.of(new QuoteLine(QuoteLine.Kind.BASE, "午前", "午前", "Morning", 1_000)), 999, "test"));
    }

    @Test
    void offGridTimesAreRefused() {
        FeeException e = assertThrows(FeeException.class, () -> on("2026-06-10", "09:10", "12:00").request());
        assertEquals("off-grid", e.code());
    }
}
