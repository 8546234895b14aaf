package jp.kominkan.cloud.fee;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static jp.kominkan.cloud.fee.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The schedule document: canonical round trip, and every kind of mistake named by its path. */
class FeeSchedulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"hokota-daishukaishitsu", "hokota-shukaishitsu", "hokota-kaigishitsu",
            "yokohama-sugita-chukaigishitsu", "yokohama-sugita-washitsu1", "yokohama-sugita-washitsu2", "tokigawa-daihall"})
    void everyFixtureRoundTripsCanonically(String name) {
        FeeSchedule schedule = FeeSchedules.parse(text(name));
        String json = FeeSchedules.toJson(schedule);
        assertEquals(schedule, FeeSchedules.parse(json));
        assertEquals(json, FeeSchedules.toJson(FeeSchedules.parse(json)));
    }

    @Test
    void theHourlyScheduleRoundTrips() {
        FeeSchedule hourly = FeeSchedules.hourly(730, 1460);
        assertEquals(hourly, FeeSchedules.parse(FeeSchedules.toJson(hourly)));
    }

    private static final String TOKIGAWA = text("tokigawa-daihall");

    private static FeeScheduleException refused(String json) {
        return assertThrows(FeeScheduleException.class, () -> FeeSchedules.parse(json));
    }

    @Test
    void anUnknownFieldIsNamed() {
        FeeScheduleException e = refused(TOKIGAWA.replace("\"label-en\": \"Morning\",", "\"label-en\": \"Morning\", \"colour\": \"red\","));
        assertEquals("units[0].colour", e.path());
        assertFalse(e.messageJa().isBlank());
        assertEquals("colour", refused("{\"colour\": 1}").path());
    }

    @Test
    void aNegativePriceIsNamed() {
        FeeScheduleException e = refused(TOKIGAWA.replace("\"土日祝\": 13000", "\"土日祝\": -13000"));
        assertEquals("units[1].prices.土日祝", e.path());
        assertEquals("金額は 0 円以上で書いてください。", e.messageJa());
    }

    @Test
    void aWrongTypeIsNamed() {
        assertEquals("units[2].prices.平日", refused(TOKIGAWA.replace("\"平日\": 14000", "\"平日\": \"14000\"")).path());
        assertEquals("units[2].prices.平日", refused(TOKIGAWA.replace("\"平日\": 14000", "\"平日\": 14000.5")).path());
        assertEquals("units[2].prices.平日", refused(TOKIGAWA.replace("\"平日\": 14000", "\"平日\": null")).path());
        assertEquals("day-classes[0].weekdays[0]", refused(TOKIGAWA.replace("[\n        2,", "[\n        \"火\",")).path());
    }

    @Test
    void overlappingBandsAreNamed() {
        FeeScheduleException e = refused(TOKIGAWA.replace("\"from\": \"13:00\"", "\"from\": \"11:00\""));
        assertEquals("units[1]", e.path());
        assertEquals(true, e.messageEn().contains("11:00–17:00"), e.messageEn());
    }

    @Test
    void aBadTimeIsNamed() {
        FeeScheduleException e = refused(TOKIGAWA.replace("\"to\": \"12:00\"", "\"to\": \"25:00\""));
        assertEquals("units[0].to", e.path());
        assertEquals(true, e.messageJa().contains("25:00"));
        assertEquals("units[0].from", refused(TOKIGAWA.replace("\"from\": \"09:00\"", "\"from\": \"9時\"")).path());
        assertEquals("units[0].to", refused(TOKIGAWA.replace("\"to\": \"12:00\"", "\"to\": \"08:00\"")).path());
    }

    @Test
    void anUnknownDayClassIsNamed() {
        FeeScheduleException e = refused(TOKIGAWA.replace("\"土日祝\": 10000", "\"祝日\": 10000"));
        assertEquals("units[0].prices.祝日", e.path());
        assertEquals(true, e.messageJa().contains("平日、土日祝"), e.messageJa());
    }

    @Test
    void aTooLargeDocumentIsRefusedWhole() {
        String big = TOKIGAWA.replace("\"source\": \"", "\"source\": \"" + "あ".repeat(22_000));
        FeeScheduleException e = refused(big);
        assertEquals("", e.path());
        assertEquals(true, e.messageEn().contains("64 KiB"));
    }

    @Test
    void otherMistakesAreNamedToo() {
        assertEquals("", refused("{\"source\": ").path());
        assertEquals("", refused("{\"source\": \"a\", \"source\": \"b\"}").path());
        assertEquals("units", refused("{\"source\": \"s\", \"day-classes\": [{\"name\": \"毎日\", \"weekdays\": [1]}],"
                + " \"units\": []}").path());
        assertEquals("units[0].kind", refused(TOKIGAWA.replaceFirst("\"kind\": \"band\"", "\"kind\": \"slot\"")).path());
        assertEquals("day-classes[1].weekdays", refused(TOKIGAWA.replace("6,\n        7", "5,\n        7")).path());
        assertEquals("surcharges.items[0].percent", refused(TOKIGAWA.replace("\"percent\": 50", "\"percent\": 50, \"permille\": 500")).path());
        assertEquals("rounding.unit", refused(TOKIGAWA.replaceFirst("\\{\\s*\"source\"",
                "{\"rounding\": {\"mode\": \"down\", \"unit\": 5}, \"source\"")).path());
    }
}
