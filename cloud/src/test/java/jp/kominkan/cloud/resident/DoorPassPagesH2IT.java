package jp.kominkan.cloud.resident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.grant.GrantKeyStore;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.QrSvg;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.GrantVerifier;
import jp.kominkan.shared.pass.DoorPass;
import jp.kominkan.shared.pass.DoorPassVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The door pass on a resident's booking page, over real sockets: its owner gets a QR code per door
 * that a gateway's verifier opens for that door (and refuses once stale); the script's JSON endpoint
 * is fresh, uncached and the owner's only; a held, cancelled or over booking shows none.
 */
class DoorPassPagesH2IT {

    private static final String STUDY_DOOR = DemoData.CODE + "-door-study";
    private static final Pattern PASS_TEXT = Pattern.compile("<pre class=\"command pass-text\">(KMK1:[^<]+)</pre>");
    private static final Pattern QR = Pattern.compile("<div class=\"qr\" role=\"img\" aria-label=\"([^\"]+)\">(<svg.*?</svg>)</div>");

    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static Cloud cloud;
    static Api api;
    static String resident;
    static Map<String, Long> rooms;

    @BeforeAll
    static void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), CLOCK, true);
        api = new Api(cloud.port());
        resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        rooms = new java.util.HashMap<>();
        for (JsonNode facility : api.get("/api/v1/facilities").send().json().get("facilities")) {
            for (JsonNode room : api.get("/api/v1/facilities/" + facility.get("id").asLong()).send().json().get("rooms")) {
                rooms.put(room.get("name").asText(), room.get("id").asLong());
            }
        }
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void theOwnerSeesAPassPerDoorThatTheGatewaysVerifierOpensForThatDoor() {
        String id = book("自習室（24時間）", 9, "20:00", "21:00", "confirmed");
        Api.Response page = page(id, resident);
        assertThat(page.status()).isEqualTo(200);
        List<String> texts = all(PASS_TEXT, page.body(), 1);
        assertThat(texts).hasSize(1);
        assertThat(page.body()).contains("<script src=\"/static/pass.js\"></script>")
                .containsPattern("<noscript><p class=\"notice\">[^<]*再読み込み[^<]*</p></noscript>");
        assertThat(api.get("/static/pass.js").send().body()).contains("setInterval", "data-src");
        String text = texts.get(0);
        assertThat(text).matches("KMK1:[0-9A-Z $%*+\\-./:]+").hasSizeLessThan(DoorPass.MAX_TEXT);

        Matcher qr = QR.matcher(page.body());
        assertThat(qr.find()).isTrue();
        assertThat(qr.group(1)).contains("自習室 入口");
        QrSvg.Reading reading = QrSvg.decode(qr.group(2));
        assertThat(reading.text()).isEqualTo(text);
        assertThat(reading.errorCorrection()).isEqualTo("M");
        assertThat(reading.version()).isBetween(10, 13);

        AccessGrant grant = opened(text, STUDY_DOOR, CLOCK.instant());
        assertThat(grant.reservationId()).isEqualTo(UUID.fromString(id));
        // The code is on the page as text, not in the pass; the pass is for this door only, and goes stale.
        assertThat(text).doesNotContain(code(page.body()));
        assertThat(verifier().verify(text, DemoData.CODE + "-door-group", keys().doorKey(DemoData.CODE + "-door-group"),
                CLOCK.instant())).isInstanceOfSatisfying(DoorPassVerifier.Verification.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(DoorPassVerifier.Reason.OTHER_DOOR));
        assertThat(verifier().verify(text, STUDY_DOOR, keys().doorKey(STUDY_DOOR), CLOCK.instant().plusSeconds(360)))
                .isInstanceOfSatisfying(DoorPassVerifier.Verification.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(DoorPassVerifier.Reason.STALE));
    }

    @Test
    void theScriptGetsAFreshUncachedPassEveryStep() {
        String id = book("自習室（24時間）", 10, "20:00", "21:00", "confirmed");
        Api.Response first = passes(id, resident);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode pass = first.json().get("passes").get(0);
        assertThat(first.json().get("refreshSeconds").asInt()).isEqualTo(30);
        assertThat(first.json().get("updated").asText()).contains("に更新しました");
        assertThat(header("/reservations/" + id + "/passes", "Cache-Control")).isEqualTo("no-store");
        assertThat(header("/reservations/" + id, "Cache-Control")).isEqualTo("no-store");
        assertThat(QrSvg.decode(pass.get("svg").asText()).text()).isEqualTo(pass.get("text").asText());
        assertThat(opened(pass.get("text").asText(), STUDY_DOOR, CLOCK.instant()).reservationId()).hasToString(id);

        CLOCK.advance(Duration.ofSeconds(30));
        JsonNode next = passes(id, resident).json().get("passes").get(0);
        assertThat(next.get("grantId").asText()).isEqualTo(pass.get("grantId").asText());
        assertThat(next.get("text").asText()).isNotEqualTo(pass.get("text").asText());
        assertThat(opened(next.get("text").asText(), STUDY_DOOR, CLOCK.instant()).grantId()).hasToString(
                pass.get("grantId").asText());
    }

    @Test
    void nobodyButTheOwnerGetsThePass() {
        String id = book("自習室（24時間）", 11, "20:00", "21:00", "confirmed");
        String stranger = register("pass-stranger-" + UUID.randomUUID() + "@example.jp");
        assertThat(passes(id, stranger).status()).isEqualTo(404);
        assertThat(page(id, stranger).status()).isEqualTo(404);
        assertThat(page(id, stranger).body()).doesNotContain("KMK1:");
        Api.Response anonymous = api.get("/reservations/" + id + "/passes").header("Accept", "application/json").send();
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("KMK1:");
        assertThat(api.get("/reservations/" + id).header("Accept", "text/html").send().status()).isEqualTo(303);
        assertThat(passes(UUID.randomUUID().toString(), resident).status()).isEqualTo(404);
        assertThat(api.get("/reservations/" + id + "/passes").token("not-a-session").send().status()).isEqualTo(401);
    }

    @Test
    void aCancelledHeldOrFinishedBookingShowsNoPass() {
        String id = book("自習室（24時間）", 12, "20:00", "21:00", "confirmed");
        assertThat(page(id, resident).body()).contains("KMK1:");
        assertThat(api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send().status()).isEqualTo(200);
        Api.Response cancelled = page(id, resident);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body()).doesNotContain("KMK1:").doesNotContain("id=\"passes\"").doesNotContain("pass.js");
        Api.Response none = passes(id, resident);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("passes")).isEmpty();

        String held = book("大会議室", notMonday(12), "10:00", "11:00", "held");   // the hall is closed on Mondays
        assertThat(page(held, resident).body()).doesNotContain("KMK1:");
        assertThat(passes(held, resident).json().get("passes")).isEmpty();

        String over = book("自習室（24時間）", 13, "20:00", "21:00", "confirmed");
        assertThat(passes(over, resident).json().get("passes")).hasSize(1);
        Duration toEnd = Duration.between(CLOCK.instant(), at(LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(13), "21:00")
                .toInstant());
        CLOCK.advance(toEnd.plusMinutes(1));
        try {
            assertThat(page(over, resident).body()).doesNotContain("KMK1:");
            assertThat(passes(over, resident).json().get("passes")).isEmpty();
        } finally {
            CLOCK.advance(toEnd.plusMinutes(1).negated());
        }
    }

    private static AccessGrant opened(String text, String doorId, Instant now) {
        DoorPassVerifier.Verification result = verifier().verify(text, doorId, keys().doorKey(doorId), now);
        assertThat(result).isInstanceOf(DoorPassVerifier.Verification.Verified.class);
        return ((DoorPassVerifier.Verification.Verified) result).grant();
    }

    private static DoorPassVerifier verifier() {
        return new DoorPassVerifier(new GrantVerifier(keys().publicKeys()));
    }

    private static GrantKeyStore keys() {
        return cloud.services().keys();
    }

    private static Api.Response page(String id, String token) {
        return api.get("/reservations/" + id).token(token).header("Accept", "text/html").send();
    }

    private static Api.Response passes(String id, String token) {
        return api.get("/reservations/" + id + "/passes").token(token).header("Accept", "application/json").send();
    }

    /** A response header, which {@link Api} does not keep. */
    private static String header(String path, String name) {
        try {
            java.net.http.HttpResponse<Void> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + cloud.port() + path))
                            .header("Authorization", "Bearer " + resident).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.headers().firstValue(name).orElse("");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String code(String html) {
        Matcher code = Pattern.compile("<span class=\"digits\" aria-hidden=\"true\">([0-9]{8})</span>").matcher(html);
        assertThat(code.find()).isTrue();
        return code.group(1);
    }

    private static List<String> all(Pattern pattern, String text, int group) {
        return pattern.matcher(text).results().map(m -> m.group(group)).toList();
    }

    private static String book(String room, int daysAhead, String from, String to, String status) {
        LocalDate day = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(daysAhead);
        DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + rooms.get(room) + ",\"start\":\""
                        + f.format(at(day, from)) + "\",\"end\":\"" + f.format(at(day, to)) + "\",\"purpose\":\"test\",\"attendees\":1}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        assertThat(booked.json().get("status").asText()).isEqualTo(status);
        return booked.json().get("id").asText();
    }

    /** @return the first number of days ahead, from {@code from} on, that is not a Monday in Tokyo */
    private static int notMonday(int from) {
        int days = from;
        while (LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(days).getDayOfWeek() == java.time.DayOfWeek.MONDAY) {
            days++;
        }
        return days;
    }

    private static ZonedDateTime at(LocalDate day, String time) {
        return day.atTime(java.time.LocalTime.parse(time)).atZone(ZoneId.of("Asia/Tokyo"));
    }

    private static String register(String email) {
        Api.Response created = api.post("/api/v1/accounts", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\",\"name\":\"試験 花子\"}").send();
        assertThat(created.status()).isEqualTo(201);
        return api.login(email, "correct horse battery");
    }
}
