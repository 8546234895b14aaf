package jp.kominkan.cloud.caretaking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.stream.StreamMessage;
import jp.kominkan.shared.stream.UnlockOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The caretakers' desk over real sockets, a real database and a real SMTP server: door events fold
 * into the board's state and raise each alarm once however often they repeat; acknowledgement needs a
 * note and happens once; unacknowledged alarms are mailed to the facility's caretakers once; a silent
 * gateway raises gateway-offline once and clears when heard again; a door left open after a booking
 * raises left-open once; a remote unlock becomes a signed stream entry, refused while the gateway is
 * offline; the live feed and every endpoint keep a caretaker to their own facility. Events enter as the
 * gateway bridge hands them on (stored once, then {@code DoorWatch.stored}); the sweeps run when the
 * test says, on a clock it moves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class CaretakingSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final Pattern LINK = Pattern.compile("/staff/invitation#token=([A-Za-z0-9_-]{43})");
    static final String STAFF_PASSWORD = "a long staff password";
    static final String STUDY = DemoData.CODE + "-door-study";
    static final String GROUP = DemoData.CODE + "-door-group";
    static final String HALL = DemoData.CODE + "-door-hall";
    static final String EKIMAE = DemoData.CODE + "-gw-ekimae";
    static final String CHUO = DemoData.CODE + "-gw-chuo";

    GreenMail smtp;
    MutableClock clock;
    Cloud cloud;
    Api api;
    long library;
    long hall;
    long studyRoom;
    Staff caretaker;
    Staff hallCaretaker;
    Staff clerk;
    String resident;
    final AtomicInteger serial = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    record Staff(UUID id, String email, String token) {
    }

    @BeforeAll
    void start() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true,
                TestCloud.mailingTo(smtp, Map.of("kominkan.doors.sweep-interval", "PT1000H",
                        "kominkan.hold-sweep-interval", "PT1000H", "kominkan.doors.offline-after", "PT60S",
                        "kominkan.doors.escalate-after", "PT10M", "kominkan.doors.left-open-after", "PT10M")));
        api = new Api(cloud.port());
        library = Sql.longValue(db("select r.facility_id from door d join room r on r.id = d.room_id where d.id = ?", STUDY),
                "facility_id");
        hall = Sql.longValue(db("select r.facility_id from door d join room r on r.id = d.room_id where d.id = ?", HALL),
                "facility_id");
        studyRoom = Sql.longValue(db("select room_id from door where id = ?", STUDY), "room_id");
        caretaker = givenStaff("caretaker", library);
        hallCaretaker = givenStaff("caretaker", hall);
        clerk = givenStaff("clerk", library);
        String email = "hanako" + serial.incrementAndGet() + "@example.jp";
        assertThat(api.post("/api/v1/accounts", "{\"email\":\"" + email
                + "\",\"password\":\"a resident password\",\"name\":\"利用 花子\"}").send().status()).isEqualTo(201);
        resident = api.login(email, "a resident password");
    }

    @AfterAll
    void stop() {
        cloud.close();
        smtp.stop();
    }

    // ---------------------------------------------------------------- scope and attacks

    @Test
    @Order(1)
    void withoutASessionOrWithoutDoorsInTheRoleEverythingIsRefusedAndNothingWritten() {
        long before = count("select count(*) as n from remote_unlock") + count("select count(*) as n from door_alarm");
        String[][] calls = {
            {"GET", "/api/v1/staff/doors"}, {"GET", "/api/v1/staff/doors/" + STUDY}, {"GET", "/api/v1/staff/doors/stream"},
            {"GET", "/api/v1/staff/alarms"}, {"POST", "/api/v1/staff/doors/" + STUDY + "/unlock"},
            {"POST", "/api/v1/staff/alarms/" + UUID.randomUUID() + "/acknowledge"}};
        for (String[] call : calls) {
            Api.Call anonymous = call[0].equals("GET") ? api.get(call[1]) : api.post(call[1], "{\"reason\":\"x\",\"minutes\":5}");
            assertThat(anonymous.send().status()).as("no session: " + call[1]).isEqualTo(401);
            Api.Call asClerk = call[0].equals("GET") ? api.get(call[1]) : api.post(call[1], "{\"reason\":\"x\",\"minutes\":5}");
            assertThat(asClerk.token(clerk.token()).send().status()).as("clerk: " + call[1]).isEqualTo(403);
            Api.Call asResident = call[0].equals("GET") ? api.get(call[1]) : api.post(call[1], "{\"note\":\"x\"}");
            assertThat(asResident.token(resident).send().status()).as("resident: " + call[1]).isIn(401, 403);
        }
        assertThat(count("select count(*) as n from remote_unlock") + count("select count(*) as n from door_alarm"))
                .isEqualTo(before);
    }

    @Test
    @Order(2)
    void aCaretakerSeesTheDoorsOfTheirFacilityOnlyAndTheAdministratorSeesAll() {
        assertThat(doorIds(caretaker.token())).containsExactlyInAnyOrder(STUDY, GROUP);
        assertThat(doorIds(hallCaretaker.token())).containsExactly(HALL);
        assertThat(doorIds(admin())).contains(STUDY, GROUP, HALL);
        assertThat(api.get("/api/v1/staff/doors/" + HALL).token(caretaker.token()).send().status()).isEqualTo(404);
        assertThat(api.get("/api/v1/staff/doors/no-such-door").token(caretaker.token()).send().status()).isEqualTo(404);
        JsonNode study = api.get("/api/v1/staff/doors/" + STUDY).token(caretaker.token()).send().json();
        assertThat(study.get("status").asText()).as("never heard from").isEqualTo("offline");
        assertThat(study.get("gateway").get("online").asBoolean()).isFalse();
        assertThat(study.get("room").asText()).isEqualTo("自習室（24時間）");
    }

    // ---------------------------------------------------------------- events, state, alarms

    @Test
    @Order(3)
    void aForcedDoorRaisesOneAlarmHoweverOftenItRepeatsAndTheBoardShowsIt() {
        seen(EKIMAE);
        event(STUDY, DoorEvent.Type.FORCED_OPEN, null);
        event(STUDY, DoorEvent.Type.CLOSED, null);
        event(STUDY, DoorEvent.Type.FORCED_OPEN, null);
        List<JsonNode> forced = alarms(caretaker.token(), "forced-open", STUDY);
        assertThat(forced).hasSize(1);
        assertThat(forced.getFirst().get("occurrences").asInt()).isEqualTo(2);
        assertThat(forced.getFirst().get("state").asText()).isEqualTo("open");
        JsonNode door = api.get("/api/v1/staff/doors/" + STUDY).token(caretaker.token()).send().json();
        assertThat(door.get("status").asText()).isEqualTo("forced-open");
        assertThat(door.get("contact").asText()).isEqualTo("open");
        assertThat(door.get("gateway").get("online").asBoolean()).isTrue();
        assertThat(alarms(hallCaretaker.token(), "forced-open", STUDY)).as("another facility's caretaker").isEmpty();
        event(STUDY, DoorEvent.Type.CLOSED, null);
        assertThat(api.get("/api/v1/staff/doors/" + STUDY).token(caretaker.token()).send().json().get("status").asText())
                .isNotEqualTo("forced-open");
        assertThat(alarms(caretaker.token(), "forced-open", STUDY).getFirst().get("state").asText())
                .as("closing the door does not answer a forced-open alarm").isEqualTo("open");
    }

    @Test
    @Order(4)
    void acknowledgementNeedsANoteHappensOnceIsLoggedAndStaysInScope() {
        String id = alarms(caretaker.token(), "forced-open", STUDY).getFirst().get("id").asText();
        String path = "/api/v1/staff/alarms/" + id + "/acknowledge";
        assertThat(api.post(path, "{\"note\":\"  \"}").token(caretaker.token()).send().status()).isEqualTo(400);
        assertThat(api.post(path, "{\"note\":\"見回り\u202Eした\"}").token(caretaker.token()).send().status()).isEqualTo(400);
        assertThat(api.post(path, "{\"note\":\"" + "長".repeat(501) + "\"}").token(caretaker.token()).send().status())
                .isEqualTo(400);
        assertThat(api.post(path, "not json").token(caretaker.token()).send().status()).isEqualTo(400);
        assertThat(api.post(path, "{\"note\":\"他施設から\"}").token(hallCaretaker.token()).send().status()).isEqualTo(404);
        assertThat(alarms(caretaker.token(), "forced-open", STUDY).getFirst().get("state").asText()).isEqualTo("open");
        Api.Response done = api.post(path, "{\"note\":\"現地確認。扉は閉まっていた\"}").token(caretaker.token()).send();
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("state").asText()).isEqualTo("acknowledged");
        assertThat(done.json().get("note").asText()).isEqualTo("現地確認。扉は閉まっていた");
        assertThat(done.json().get("acknowledgedBy").asText()).isEqualTo(caretaker.id().toString());
        Api.Response again = api.post(path, "{\"note\":\"二度目\"}").token(caretaker.token()).send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("確認済み");
        assertThat(count("select count(*) as n from staff_operation where action = 'alarm.acknowledge' and target_id = ?", id))
                .isEqualTo(1);
        event(STUDY, DoorEvent.Type.FORCED_OPEN, null);
        assertThat(alarms(caretaker.token(), "forced-open", STUDY)).as("a new forcing after the acknowledgement").hasSize(2);
        event(STUDY, DoorEvent.Type.CLOSED, null);
    }

    @Test
    @Order(5)
    void deviceTroublesEachRaiseTheirAlarmAndThoseThatMendThemselvesClear() {
        event(GROUP, DoorEvent.Type.TAMPER, "lock");
        event(GROUP, DoorEvent.Type.LOCK_STATE, "jammed");
        event(GROUP, DoorEvent.Type.BATTERY_LOW, "battery=12");
        event(GROUP, DoorEvent.Type.LOCKOUT, "minutes=4");
        event(GROUP, DoorEvent.Type.LOCK_OFFLINE, null);
        event(GROUP, DoorEvent.Type.LOCK_OFFLINE, null);
        for (String kind : List.of("tamper", "jammed", "battery-low", "lockout", "lock-offline")) {
            assertThat(alarms(caretaker.token(), kind, GROUP)).as(kind).hasSize(1);
        }
        JsonNode door = api.get("/api/v1/staff/doors/" + GROUP).token(caretaker.token()).send().json();
        assertThat(door.get("battery").asInt()).isEqualTo(12);
        assertThat(door.get("lockedOut").asBoolean()).isTrue();
        assertThat(door.get("status").asText()).isEqualTo("tamper");
        event(GROUP, DoorEvent.Type.LOCK_ONLINE, null);
        event(GROUP, DoorEvent.Type.LOCK_STATE, "locked");
        event(GROUP, DoorEvent.Type.BATTERY, "battery=95");
        assertThat(alarms(caretaker.token(), "lock-offline", GROUP).getFirst().get("state").asText()).isEqualTo("cleared");
        assertThat(alarms(caretaker.token(), "jammed", GROUP).getFirst().get("state").asText()).isEqualTo("cleared");
        assertThat(alarms(caretaker.token(), "battery-low", GROUP).getFirst().get("state").asText()).isEqualTo("cleared");
        assertThat(alarms(caretaker.token(), "tamper", GROUP).getFirst().get("state").asText())
                .as("tampering is answered by a person").isEqualTo("open");
    }

    @Test
    @Order(6)
    void anUnacknowledgedAlarmIsMailedToTheFacilitysCaretakersOnce() throws Exception {
        int before = smtp.getReceivedMessages().length;
        sweep();
        assertThat(mailsTo(caretaker.email())).as("not yet ten minutes").isZero();
        clock.advance(Duration.ofMinutes(11));
        seen(EKIMAE);
        sweep();
        MimeMessage mail = mailTo(caretaker.email(), "いたずら検知");
        assertThat(mail.getSubject()).startsWith("【扉の警報】");
        String body = (String) mail.getContent();
        assertThat(body).contains("/staff/doors").contains("グループ学習室 入口");
        sweep();
        waitForMail(before);
        assertThat(mailsTo(hallCaretaker.email())).as("the other facility's caretaker").isZero();
        long tamperMails = java.util.Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> to(m).equals(caretaker.email()) && subject(m).contains("いたずら検知")).count();
        assertThat(tamperMails).as("escalated once").isEqualTo(1);
        String tamper = alarms(caretaker.token(), "tamper", GROUP).getFirst().get("escalatedAt").asText();
        assertThat(tamper).isNotEqualTo("null");
    }

    @Test
    @Order(7)
    void aSilentGatewayRaisesGatewayOfflineOnceAndClearsWhenHeardAgain() {
        seen(EKIMAE);
        sweep();
        clock.advance(Duration.ofSeconds(61));
        sweep();
        sweep();
        List<JsonNode> offline = alarmsOf(caretaker.token(), "gateway-offline", EKIMAE);
        assertThat(offline).hasSize(1);
        assertThat(offline.getFirst().get("occurrences").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/staff/doors/" + STUDY).token(caretaker.token()).send().json().get("status").asText())
                .isEqualTo("offline");
        seen(EKIMAE);
        sweep();
        assertThat(alarmsOf(caretaker.token(), "gateway-offline", EKIMAE).getFirst().get("state").asText())
                .isEqualTo("cleared");
        assertThat(api.get("/api/v1/staff/doors/" + STUDY).token(caretaker.token()).send().json().get("status").asText())
                .isNotEqualTo("offline");
    }

    // ---------------------------------------------------------------- remote unlock

    @Test
    @Order(8)
    void aRemoteUnlockIsRefusedWhileTheGatewayIsSilentAndWritesNothing() {
        long head = head(EKIMAE);
        clock.advance(Duration.ofSeconds(90));
        Api.Response refused = unlock(caretaker.token(), STUDY, "{\"reason\":\"鍵を忘れた利用者のため\",\"minutes\":5}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).endsWith("gateway-offline");
        assertThat(refused.json().get("detail").asText()).contains("通信できない").contains("現地で対応");
        assertThat(head(EKIMAE)).isEqualTo(head);
        assertThat(count("select count(*) as n from remote_unlock")).isZero();
    }

    @Test
    @Order(9)
    void aRemoteUnlockGoesToTheGatewayAsASignedStreamEntryAndIsLogged() {
        seen(EKIMAE);
        for (String bad : List.of("{\"reason\":\"\",\"minutes\":5}", "{\"reason\":\"理由\u0000\",\"minutes\":5}",
                "{\"reason\":\"理由\",\"minutes\":0}", "{\"reason\":\"理由\",\"minutes\":61}", "{\"reason\":\"理由\"}",
                "{\"reason\":\"" + "長".repeat(201) + "\",\"minutes\":5}", "[]")) {
            assertThat(unlock(caretaker.token(), STUDY, bad).status()).as(bad).isEqualTo(400);
        }
        assertThat(api.post("/api/v1/staff/doors/" + STUDY + "/unlock", "{\"reason\":\"理由\",\"minutes\":5}")
                .contentType("text/plain").token(caretaker.token()).send().status())
                .as("a cross-site form or no-cors fetch cannot say JSON").isEqualTo(415);
        cloud.database().client().execute().dml("update gateway set features = 0 where id = ?", EKIMAE);
        Api.Response outdated = unlock(caretaker.token(), STUDY, "{\"reason\":\"理由\",\"minutes\":5}");
        assertThat(outdated.status()).as("an entry an older gateway cannot read would stop its stream").isEqualTo(409);
        assertThat(outdated.json().get("type").asText()).endsWith("gateway-outdated");
        assertThat(outdated.json().get("detail").asText()).contains("更新");
        seen(EKIMAE);
        assertThat(unlock(hallCaretaker.token(), STUDY, "{\"reason\":\"理由\",\"minutes\":5}").status()).isEqualTo(404);
        assertThat(unlock(clerk.token(), STUDY, "{\"reason\":\"理由\",\"minutes\":5}").status()).isEqualTo(403);
        assertThat(count("select count(*) as n from remote_unlock")).isZero();
        long head = head(EKIMAE);
        Api.Response sent = unlock(caretaker.token(), STUDY, "{\"reason\":\"鍵を忘れた利用者のため\",\"minutes\":5}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertThat(sent.json().get("streamSeq").asLong()).isEqualTo(head + 1);
        var entry = db("select kind, message, unlock_id from grant_stream where gateway_id = ? and seq = ?", EKIMAE, head + 1);
        assertThat(Sql.text(entry, "kind")).isEqualTo("unlock");
        UnlockOrder order = UnlockOrder.decode(HexFormat.of().parseHex(Sql.text(entry, "message")));
        assertThat(order.doorId()).isEqualTo(STUDY);
        assertThat(order.orderId().toString()).isEqualTo(sent.json().get("id").asText());
        assertThat(Duration.between(order.issuedAt(), order.until())).isEqualTo(Duration.ofMinutes(5));
        assertThat(count("select count(*) as n from staff_operation where action = 'door.remote-unlock' and target_id = ?",
                STUDY)).isEqualTo(1);
        var entries = cloud.database().client().execute().query(
                "select kind from grant_stream where gateway_id = ? and seq > ? order by seq", EKIMAE, head).toList();
        assertThat(entries).hasSize(1);
        // The gateway carries it out: its event names the order, and the board shows the door held until then.
        event(STUDY, DoorEvent.Type.REMOTE_UNLOCKED, order.orderId(), "until=" + order.until().getEpochSecond());
        assertThat(db("select opened_at from remote_unlock where id = ?", order.orderId()).column("opened_at").get())
                .isNotNull();
        JsonNode door = api.get("/api/v1/staff/doors/" + STUDY).token(caretaker.token()).send().json();
        assertThat(door.get("status").asText()).isEqualTo("unlocked");
        assertThat(door.get("remoteUntil").asText()).isNotEqualTo("null");
        event(STUDY, DoorEvent.Type.RELOCKED, order.orderId(), null);
        assertThat(api.get("/api/v1/staff/doors/" + STUDY).token(caretaker.token()).send().json().get("status").asText())
                .isEqualTo("locked");
    }

    // ---------------------------------------------------------------- the live feed

    @Test
    @Order(10)
    void theLiveFeedTellsACaretakerOfTheirDoorsAndNothingOfAnotherFacility() throws Exception {
        seen(EKIMAE);
        seen(CHUO);
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + cloud.port()
                + "/api/v1/staff/doors/stream")).header("Authorization", "Bearer " + caretaker.token()).build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // closed by the test
            }
        });
        waitFor(() -> lines.stream().anyMatch(l -> l.startsWith(": kominkan")));
        List<HttpResponse<java.io.InputStream>> more = new ArrayList<>();
        for (int i = 1; i < jp.kominkan.cloud.door.DoorFeed.MAX_PER_VIEWER; i++) {
            more.add(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        }
        assertThat(more).allMatch(r -> r.statusCode() == 200);
        HttpResponse<String> tooMany = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(tooMany.statusCode()).as("one member cannot hold every stream").isEqualTo(429);
        assertThat(tooMany.body()).contains("画面を閉じて");
        for (HttpResponse<java.io.InputStream> r : more) {
            r.body().close();
        }
        event(HALL, DoorEvent.Type.FORCED_OPEN, null);
        event(STUDY, DoorEvent.Type.OPENED, null);
        waitFor(() -> lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("\"" + STUDY + "\"")));
        assertThat(lines).anyMatch(l -> l.equals("event: door"));
        assertThat(lines).noneMatch(l -> l.contains(HALL)).noneMatch(l -> l.contains("大会議室"));
        event(STUDY, DoorEvent.Type.CLOSED, null);
        response.body().close();
        reader.interrupt();
    }

    // ---------------------------------------------------------------- left open after use, door history

    @Test
    @Order(11)
    void aDoorLeftOpenAfterABookingRaisesLeftOpenOnceAndTheBookingShowsItsDoorHistory() throws Exception {
        LocalDate day = LocalDate.ofInstant(clock.instant(), TOKYO).plusDays(2);
        OffsetDateTime start = day.atTime(10, 0).atZone(TOKYO).toOffsetDateTime();
        Api.Response booked = api.post("/api/v1/reservations", "{\"roomId\":" + studyRoom + ",\"start\":\"" + start
                + "\",\"end\":\"" + start.plusHours(1) + "\",\"purpose\":\"自習\",\"attendees\":1}").token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        UUID reservation = UUID.fromString(booked.json().get("id").asText());
        UUID grant = UUID.fromString(Sql.text(db("select cast(id as varchar(36)) as id from access_grant"
                + " where reservation_id = ? and door_id = ?", reservation, STUDY), "id"));
        moveTo(start.plusMinutes(2).toInstant());
        eventAt(STUDY, DoorEvent.Type.UNLOCKED, grant, null, clock.instant());
        eventAt(STUDY, DoorEvent.Type.OPENED, null, null, clock.instant().plusSeconds(3));
        moveTo(start.plusMinutes(62).toInstant());
        seen(EKIMAE);
        sweep();
        assertThat(alarms(admin(), "left-open", STUDY)).as("within the ten minutes").isEmpty();
        moveTo(start.plusMinutes(71).toInstant());
        seen(EKIMAE);
        sweep();
        sweep();
        String token = api.staffLogin(caretaker.email(), STAFF_PASSWORD);
        List<JsonNode> left = alarms(token, "left-open", STUDY);
        assertThat(left).hasSize(1);
        assertThat(left.getFirst().get("reservationId").asText()).isEqualTo(reservation.toString());
        assertThat(left.getFirst().get("detail").asText()).contains("扉が開いたまま").contains("11:00");
        assertThat(api.post("/api/v1/staff/alarms/" + left.getFirst().get("id").asText() + "/acknowledge",
                "{\"note\":\"閉めに行った\"}").token(token).send().status()).isEqualTo(200);
        sweep();
        assertThat(alarms(token, "left-open", STUDY)).as("once per booking, even after it was acknowledged").hasSize(1);
        List<DoorEvent> history = new DoorEventRepository(cloud.database().client()).forReservation(reservation);
        assertThat(history).extracting(DoorEvent::type).containsExactly(DoorEvent.Type.UNLOCKED, DoorEvent.Type.OPENED);
    }

    @Test
    @Order(12)
    void anEventStoredButNotHandledIsTakenAgainAndAnAlarmStillUnreadIsMailedAgain() throws Exception {
        DoorEvent lost = new DoorEvent(UUID.randomUUID(), GROUP, DoorEvent.Type.FORCED_OPEN, clock.instant(),
                Optional.empty(), Optional.empty());
        DoorEventRepository events = new DoorEventRepository(cloud.database().client());
        assertThat(events.storeOnce(lost, EKIMAE, Optional.empty(), clock.instant())).isTrue();
        // stored and receipted, but the desk never took it (the database failed between the two)
        seen(EKIMAE);
        sweep();
        assertThat(alarms(admin(), "forced-open", GROUP)).as("not before 30 s: it may be under way").isEmpty();
        clock.advance(Duration.ofSeconds(31));
        seen(EKIMAE);
        sweep();
        String token = admin();
        assertThat(alarms(token, "forced-open", GROUP)).hasSize(1);
        assertThat(db("select processed_at from door_event where id = ?", lost.id()).column("processed_at").get())
                .isNotNull();
        sweep();
        assertThat(alarms(token, "forced-open", GROUP).getFirst().get("occurrences").asInt()).as("taken once").isEqualTo(1);

        clock.advance(Duration.ofMinutes(11));
        seen(EKIMAE);
        sweep();
        Staff fresh = new Staff(caretaker.id(), caretaker.email(), api.staffLogin(caretaker.email(), STAFF_PASSWORD));
        assertThat(alarms(fresh.token(), "forced-open", GROUP).getFirst().get("escalatedAt").isNull()).isFalse();
        waitFor(() -> forcedMails(GROUP) == 1);
        event(GROUP, DoorEvent.Type.FORCED_OPEN, null);
        sweep();
        assertThat(forcedMails(GROUP)).as("forced again within 10 minutes of the mail: no second one yet").isEqualTo(1);
        clock.advance(Duration.ofMinutes(11));
        seen(EKIMAE);
        event(GROUP, DoorEvent.Type.FORCED_OPEN, null);
        sweep();
        waitFor(() -> forcedMails(GROUP) == 2);
        assertThat(alarms(api.staffLogin(caretaker.email(), STAFF_PASSWORD), "forced-open", GROUP)).hasSize(1);
    }

    long forcedMails(String door) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m).equals(caretaker.email())
                && subject(m).contains("こじ開け") && subject(m).contains("グループ学習室")).count();
    }

    // ---------------------------------------------------------------- helpers

    /** A door event as the gateway bridge hands it on: stored once, then told to the desk. */
    void event(String door, DoorEvent.Type type, String reason) {
        event(door, type, null, reason);
    }

    void event(String door, DoorEvent.Type type, UUID grant, String reason) {
        eventAt(door, type, grant, reason, clock.instant());
    }

    void eventAt(String door, DoorEvent.Type type, UUID grant, String reason, Instant at) {
        DoorEvent event = new DoorEvent(UUID.randomUUID(), door, type, at, Optional.ofNullable(grant),
                Optional.ofNullable(reason));
        DoorEventRepository events = new DoorEventRepository(cloud.database().client());
        Optional<UUID> reservation = events.reservationOf(event);
        String gateway = events.gatewayOf(door).orElseThrow();
        assertThat(events.storeOnce(event, gateway, reservation, clock.instant())).isTrue();
        cloud.services().caretaking().watch().stored(gateway, event, reservation);
    }

    void moveTo(Instant at) {
        clock.advance(Duration.between(clock.instant(), at));
    }

    /** The gateway's heartbeat, as the bridge records it: heard now, and able to take unlock entries. */
    void seen(String gateway) {
        cloud.database().client().execute().dml("update gateway set last_seen_at = ?, features = ? where id = ?",
                Sql.at(clock.instant()), StreamMessage.Ack.FEATURES, gateway);
    }

    void sweep() {
        cloud.services().caretaking().sweep().run();
    }

    long head(String gateway) {
        return Sql.longValue(db("select stream_head from gateway where id = ?", gateway), "stream_head");
    }

    Api.Response unlock(String token, String door, String body) {
        return api.post("/api/v1/staff/doors/" + door + "/unlock", body).token(token).send();
    }

    String admin() {
        return api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    List<String> doorIds(String token) {
        Api.Response doors = api.get("/api/v1/staff/doors").token(token).send();
        assertThat(doors.status()).as(doors.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        doors.json().get("doors").forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }

    List<JsonNode> alarms(String token, String kind, String door) {
        return alarmsWhere(token, kind, "doorId", door);
    }

    List<JsonNode> alarmsOf(String token, String kind, String gateway) {
        return alarmsWhere(token, kind, "gatewayId", gateway);
    }

    private List<JsonNode> alarmsWhere(String token, String kind, String field, String value) {
        Api.Response alarms = api.get("/api/v1/staff/alarms").token(token).send();
        assertThat(alarms.status()).as(alarms.body()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        alarms.json().get("alarms").forEach(a -> {
            if (a.get("kind").asText().equals(kind) && value.equals(a.get(field).asText())) {
                found.add(a);
            }
        });
        found.sort(java.util.Comparator.comparing(a -> a.get("raisedAt").asText()));
        return found;
    }

    Staff givenStaff(String role, long facility) throws Exception {
        String email = role + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        Api.Response invited = api.post("/api/v1/staff/invitations", "{\"email\":\"" + email + "\",\"role\":\"" + role
                + "\",\"facilities\":[" + facility + "]}").token(admin()).send();
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        Matcher link = LINK.matcher((String) mailTo(email, "招待").getContent());
        assertThat(link.find()).isTrue();
        Api.Response accepted = api.post("/api/v1/staff/invitations/accept", "{\"token\":\"" + link.group(1)
                + "\",\"name\":\"職員 " + serial.get() + "\",\"password\":\"" + STAFF_PASSWORD + "\"}").send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        return new Staff(UUID.fromString(accepted.json().get("id").asText()), email, api.staffLogin(email, STAFF_PASSWORD));
    }

    MimeMessage mailTo(String email, String subject) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (to(message).equals(email) && subject(message).contains(subject)) {
                    return message;
                }
            }
            smtp.waitForIncomingEmail(200, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("No mail to " + email + " about " + subject);
    }

    /** Waits until the outbox has sent everything queued, so a second mail would have arrived. */
    void waitForMail(int before) {
        waitFor(() -> count("select count(*) as n from mail_outbox where sent_at is null and failed_at is null") == 0);
    }

    long mailsTo(String email) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m).equals(email)
                && subject(m).contains("扉の警報")).count();
    }

    static String to(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    io.helidon.dbclient.DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }

    long count(String sql, Object... params) {
        return Sql.longValue(db(sql, params), "n");
    }
}
