package jp.kominkan.cloud.payment;

import static jp.kominkan.cloud.payment.SandboxedCloud.bookingBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.fee.RoomFees;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.LedgerInvariant;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.calendar.JapaneseHolidays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /api/v1/quotes} for rooms priced by ordinance tables stored as their fee schedules (the fixtures
 * of the golden tests, cloud/src/test/resources/fee/), and a booking made with the same request: the quote's
 * lines and total are the ordinance's to the yen, and the booking's amount and frozen quote are the quote's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuoteApiSuite {

    SandboxedCloud town;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        town = SandboxedCloud.start(kind());
    }

    @AfterAll
    void stop() {
        if (town != null) {
            town.close();
        }
    }

    @AfterEach
    void theLedgerAddsUp() {
        LedgerInvariant.check(town.db());
    }

    /**
     * ときがわ町 大ホール, 備考(4)(5): a weekday's 全日 is 27,000 yen; admission of 1,500 yen (+50 %) for an audience
     * mainly from outside the town (+50 %) adds both rates to the table fee: 54,000 yen, the ordinance's own
     * example (https://tokigawa.temp.wms.ne.jp/Info/471).
     */
    @Test
    void aQuoteForTokigawasHallItemisesTheBandAndBothSurchargesTo54000Yen() {
        long room = givenRoomWithSchedule("tokigawa-daihall", 9 * 60, 21 * 60 + 30);
        LocalDate day = weekdayAhead();
        Api.Response quote = quote(town.resident(), bookingBody(room, day, "09:00", "21:30",
                "\"admissionYen\":1500,\"mainlyNonResidents\":true"));
        assertThat(quote.status()).as(quote.body()).isEqualTo(200);
        JsonNode body = quote.json();
        assertThat(body.get("total").asLong()).isEqualTo(54_000);
        assertThat(lines(body, "base")).containsExactly("全日:27000");
        assertThat(lines(body, "surcharge")).containsExactly("入場料1000:13500", "町外対象:13500");
        long sum = 0;
        for (JsonNode line : body.get("lines")) {
            sum += line.get("yen").asLong();
        }
        assertThat(sum).isEqualTo(54_000);
        assertThat(body.get("source").asText()).contains("ときがわ町");
        assertThat(body.get("payBy").asText()).endsWith("+09:00");
    }

    @Test
    void bookingWhatWasQuotedChargesTheQuotedTotalAndFreezesTheQuote() {
        long room = givenRoomWithSchedule("tokigawa-daihall", 9 * 60, 21 * 60 + 30);
        LocalDate day = weekdayAhead();
        String request = bookingBody(room, day, "09:00", "12:00", "\"admissionYen\":2000");
        String resident = town.resident();
        long quoted = quote(resident, request).json().get("total").asLong();
        assertThat(quoted).isEqualTo(16_000);

        Api.Response booked = town.api.post("/api/v1/reservations", request).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).isEqualTo(201);
        assertThat(booked.json().get("amount").asLong()).isEqualTo(quoted);
        UUID id = UUID.fromString(booked.json().get("id").asText());
        String frozen = (String) town.reservation(id).get("fee_quote");
        assertThat(frozen).contains("午前").contains("入場料2000").contains("16000");
        assertThat(town.ledger(id)).containsExactly("charge:16000");
        // The booking's own view itemises the fee it was made with.
        com.fasterxml.jackson.databind.JsonNode fee = town.api.get("/api/v1/reservations/" + id).token(resident).send()
                .json().get("fee");
        assertThat(fee.get("total").asLong()).isEqualTo(16_000);
        assertThat(fee.get("lines").findValuesAsText("code")).contains("午前", "入場料2000");
    }

    /** 鉾田市立公民館 大集会室: 1日 is 2,620 yen, not the sum of 午前 1,050 + 午後 1,050 + 夜 1,570. */
    @Test
    void aWholeDayAtHokotaIsTheTables2620YenNotTheSumOfItsBands() {
        long room = givenRoomWithSchedule("hokota-daishukaishitsu", 9 * 60, 22 * 60);
        JsonNode whole = quote(town.resident(), bookingBody(room, weekdayAhead(), "09:00", "22:00", "")).json();
        assertThat(whole.get("total").asLong()).isEqualTo(2_620);
        assertThat(lines(whole, "base")).containsExactly("1日:2620");
        JsonNode evening = quote(town.resident(), bookingBody(room, weekdayAhead(), "18:00", "20:00", "")).json();
        assertThat(evening.get("total").asLong()).isEqualTo(1_570);
    }

    @Test
    void aQuoteNeedsASession() {
        long room = givenRoomWithSchedule("hokota-daishukaishitsu", 9 * 60, 22 * 60);
        Api.Response anonymous = town.api.post("/api/v1/quotes", bookingBody(room, weekdayAhead(), "09:00", "13:00", ""))
                .send();
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).contains("application/problem+json");
    }

    @Test
    void aMalformedQuoteRequestIsAProblemNamingTheField() {
        long room = givenRoomWithSchedule("hokota-daishukaishitsu", 9 * 60, 22 * 60);
        String resident = town.resident();
        Api.Response notJson = quote(resident, "{\"roomId\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.contentType()).contains("application/problem+json");
        Api.Response wrongType = quote(resident, bookingBody(room, weekdayAhead(), "09:00", "13:00", "")
                .replace("\"attendees\":5", "\"attendees\":\"five\""));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("field").asText()).isEqualTo("attendees");
        Api.Response noStart = quote(resident, "{\"roomId\":" + room + "}");
        assertThat(noStart.json().get("field").asText()).isEqualTo("start");
        Api.Response badAdmission = quote(resident, bookingBody(room, weekdayAhead(), "09:00", "13:00",
                "\"admissionYen\":-1"));
        assertThat(badAdmission.json().get("field").asText()).isEqualTo("admissionYen");
    }

    @Test
    void anotherMunicipalitysRoomIsNotFound() {
        long otherFacility = town.api.get("/api/v1/facilities").header("Host", TestCloud.OTHER_HOST).send().json()
                .get("facilities").get(0).get("id").asLong();
        long otherRoom = town.api.get("/api/v1/facilities/" + otherFacility).header("Host", TestCloud.OTHER_HOST).send()
                .json().get("rooms").get(0).get("id").asLong();
        Api.Response quote = quote(town.resident(), bookingBody(otherRoom, weekdayAhead(), "10:00", "11:00", ""));
        assertThat(quote.status()).isEqualTo(404);
    }

    private Api.Response quote(String token, String body) {
        return town.api.post("/api/v1/quotes", body).token(token).send();
    }

    /** A room open Tuesday to Sunday between the given minutes, priced by a fixture's schedule. */
    private long givenRoomWithSchedule(String fixture, int opens, int closes) {
        long room = town.givenRoom("条例室 " + UUID.randomUUID(), 0, List.of(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                DayOfWeek.THURSDAY, DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), opens, closes);
        String document = fixture(fixture);
        Sql.inTransaction(town.db(), tx -> RoomFees.save(tx, town.townId, room, document, null, town.clock.instant()));
        return room;
    }

    /** A Tuesday to Friday that is no public holiday, a week or more ahead. */
    private LocalDate weekdayAhead() {
        LocalDate day = town.today().plusDays(7);
        while (day.getDayOfWeek() == DayOfWeek.MONDAY || day.getDayOfWeek().getValue() >= 6
                || JapaneseHolidays.isHoliday(day)) {
            day = day.plusDays(1);
        }
        return day;
    }

    private static List<String> lines(JsonNode quote, String kind) {
        List<String> lines = new ArrayList<>();
        for (JsonNode line : quote.get("lines")) {
            if (line.get("kind").asText().equals(kind)) {
                lines.add(line.get("code").asText() + ":" + line.get("yen").asLong());
            }
        }
        return lines;
    }

    private static String fixture(String name) {
        try (InputStream in = QuoteApiSuite.class.getResourceAsStream("/fee/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
