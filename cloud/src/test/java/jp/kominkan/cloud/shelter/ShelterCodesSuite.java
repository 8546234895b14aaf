package jp.kominkan.cloud.shelter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.fleet.GrantStreamRepository;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.CodeVerifier;
import jp.kominkan.shared.grant.GrantVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Shelter codes (避難所コード) over real sockets and a real database: an administrator issues one code for every door
 * of a facility — one signed grant per door on its gateway's stream, whose verifier the code matches, the code in the
 * answer and in no table or log line —; the list tells active, not yet, expired and revoked apart and never shows a
 * code; a revocation revokes every grant through the stream, once; other roles, facilities and municipalities see
 * and change nothing, and bad requests are refused in Japanese writing nothing; {@link ShelterCodes#useOf} names the
 * shelter code of its grants and nothing for a booking's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ShelterCodesSuite {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PATH = "/api/v1/staff/shelter-codes";
    static final String STAFF_PASSWORD = "a long staff password";
    static final String EKIMAE = DemoData.CODE + "-gw-ekimae";
    static final String CHUO = DemoData.CODE + "-gw-chuo";
    static final String STUDY = DemoData.CODE + "-door-study";
    static final String GROUP = DemoData.CODE + "-door-group";
    static final String HALL_DOOR = DemoData.CODE + "-door-hall";
    static final String HOLDER = "駅前町内会 自主防災組織";

    MutableClock clock;
    Cloud cloud;
    Api api;
    long town;
    long library;
    long hall;
    long gym;
    /** Codes issued so far: none may be anywhere but in their answers. */
    final List<String> codes = new ArrayList<>();
    UUID libraryCodeId;
    UUID hallNotYetId;
    UUID hallSoonId;
    final AtomicInteger serial = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        cloud = TestCloud.start(TestDatabases.fresh(kind()), clock, true);
        api = new Api(cloud.port());
        town = Sql.longValue(db("select id from municipality where code = ?", DemoData.CODE), "id");
        library = facility("駅前学習センター");
        hall = facility("中央公民館");
        gym = facility("総合体育館");
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    @Test
    @Order(1)
    void issuingGivesOneCodeAndOneSignedGrantPerDoorOfTheFacilityOnItsGatewaysStream() throws Exception {
        long ekimaeBefore = head(EKIMAE);
        long chuoBefore = head(CHUO);
        Instant from = clock.instant();
        Instant until = from.plus(Duration.ofDays(365));
        List<String> logged = new ArrayList<>();
        Handler capture = capture(logged);
        HttpResponse<String> made;
        try {
            made = raw("POST", PATH, body(library, HOLDER, from, until), admin());
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(made.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode json = Json.mapper().readTree(made.body());
        String code = json.get("code").asText();
        codes.add(code);
        libraryCodeId = UUID.fromString(json.get("id").asText());
        assertThat(made.headers().firstValue("Location")).hasValue(PATH + "/" + libraryCodeId);
        assertThat(code).matches("[0-9]{8}");
        assertThat(json.get("facilityId").asLong()).isEqualTo(library);
        assertThat(json.get("holder").asText()).isEqualTo(HOLDER);
        assertThat(Instant.parse(offset(json.get("validFrom").asText()))).isEqualTo(from);
        assertThat(Instant.parse(offset(json.get("validUntil").asText()))).isEqualTo(until);
        assertThat(json.get("doors").findValuesAsText("id")).containsExactly(GROUP, STUDY);

        // One grant per door, the shelter code's and no booking's, whose verifier the code matches on that door only.
        List<DbRow> grants = rows("select id, door_id, reservation_id, valid_from, valid_until, code_verifier"
                + " from access_grant where shelter_code_id = ? order by door_id", libraryCodeId);
        assertThat(grants).extracting(g -> Sql.text(g, "door_id")).containsExactly(GROUP, STUDY);
        GrantVerifier verifier = new GrantVerifier(cloud.services().keys().publicKeys());
        GrantStreamRepository stream = new GrantStreamRepository(cloud.database().client(),
                jp.kominkan.cloud.fleet.BrokerShards.DEFAULT);
        List<String> live = stream.liveGrants(EKIMAE, head(EKIMAE), clock.instant()).stream()
                .map(HexFormat.of()::formatHex).toList();
        for (DbRow row : grants) {
            String door = Sql.text(row, "door_id");
            byte[] key = cloud.services().keys().doorKey(door);
            assertThat(Sql.value(row, "reservation_id")).isEmpty();
            assertThat(Sql.text(row, "code_verifier").strip())
                    .isEqualTo(HexFormat.of().formatHex(CodeVerifier.of(key, door, code).bytes()))
                    .isNotEqualTo(HexFormat.of().formatHex(CodeVerifier.of(key, HALL_DOOR, code).bytes()));
            assertThat(Sql.instant(row, "valid_from")).isEqualTo(from);
            assertThat(Sql.instant(row, "valid_until")).isEqualTo(until);
            List<DbRow> entries = rows("select seq, kind, message from grant_stream where grant_id = ? and gateway_id = ?",
                    Sql.uuid(row, "id"), EKIMAE);
            assertThat(entries).hasSize(1);
            assertThat(Sql.text(entries.get(0), "kind")).isEqualTo("issue");
            assertThat(Sql.longValue(entries.get(0), "seq")).isGreaterThan(ekimaeBefore);
            String message = Sql.text(entries.get(0), "message");
            // A gateway that asks for a snapshot gets the shelter grants with the bookings'.
            assertThat(live).contains(message);
            GrantVerifier.Verification verified = verifier.verify(HexFormat.of().parseHex(message));
            assertThat(verified).isInstanceOf(GrantVerifier.Verification.Verified.class);
            AccessGrant grant = ((GrantVerifier.Verification.Verified) verified).grant();
            assertThat(grant.grantId()).isEqualTo(Sql.uuid(row, "id"));
            assertThat(grant.reservationId()).isEqualTo(libraryCodeId);
            assertThat(grant.doorId()).isEqualTo(door);
            assertThat(grant.municipalityCode()).isEqualTo(DemoData.CODE);
            assertThat(grant.validFrom()).isEqualTo(from);
            assertThat(grant.validUntil()).isEqualTo(until);
            assertThat(grant.codeVerifier()).isEqualTo(CodeVerifier.of(key, door, code));
        }
        assertThat(head(EKIMAE)).isEqualTo(ekimaeBefore + 2);
        assertThat(head(CHUO)).isEqualTo(chuoBefore);

        DbRow entry = db("select facility_id, staff_id, after_state from staff_operation where action = 'shelter-code.issue'"
                + " and target_id = ?", libraryCodeId.toString());
        assertThat(Sql.longValue(entry, "facility_id")).isEqualTo(library);
        assertThat(Sql.text(entry, "after_state")).contains(HOLDER).doesNotContain(code);
        assertThat(logged).noneMatch(line -> line.contains(code));
    }

    @Test
    @Order(2)
    void theCodeIsInNoTable() {
        assertThat(codes).hasSize(1);
        for (String table : List.of("shelter_code", "access_grant", "staff_operation", "grant_stream")) {
            for (DbRow row : rows("select * from " + table)) {
                List<String> values = new ArrayList<>();
                row.forEach(column -> values.add(String.valueOf(column.get(Object.class))));
                assertThat(values).as(table).noneMatch(value -> value.contains(codes.get(0)));
            }
        }
        assertThat(count("select count(*) as n from shelter_code where id = ?", libraryCodeId)).isEqualTo(1);
    }

    @Test
    @Order(3)
    void theListTellsActiveNotYetExpiredAndRevokedApartAndNeverShowsACode() {
        Instant now = clock.instant();
        hallNotYetId = issued(body(hall, "消防団第3分団", now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(20))));
        hallSoonId = issued(body(hall, "中央町内会 自主防災組織", now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1))));
        clock.advance(Duration.ofHours(2));

        Api.Response all = api.get(PATH).token(admin()).send();
        assertThat(all.status()).isEqualTo(200);
        Map<String, String> status = statuses(all);
        assertThat(status).containsEntry(libraryCodeId.toString(), "active")
                .containsEntry(hallNotYetId.toString(), "not-yet").containsEntry(hallSoonId.toString(), "expired");
        assertThat(codes).hasSize(3).allSatisfy(code -> assertThat(all.body()).doesNotContain(code));
        all.json().get("shelterCodes").forEach(c -> assertThat(c.has("code")).isFalse());
        assertThat(all.json().get("shelterCodes").findValuesAsText("holder")).contains(HOLDER, "消防団第3分団");

        Api.Response ofHall = api.get(PATH + "?facilityId=" + hall).token(admin()).send();
        assertThat(statuses(ofHall).keySet()).containsExactlyInAnyOrder(hallNotYetId.toString(), hallSoonId.toString());
        Api.Response one = api.get(PATH + "/" + hallNotYetId).token(admin()).send();
        assertThat(one.json().get("status").asText()).isEqualTo("not-yet");
        assertThat(one.json().get("facilityName").asText()).isEqualTo("中央公民館");
        assertThat(one.json().has("code")).isFalse();
    }

    @Test
    @Order(4)
    void revokingRevokesEveryGrantThroughTheStreamAndASecondRevokeIsAConflict() {
        long before = head(EKIMAE);
        List<UUID> grantIds = rows("select id from access_grant where shelter_code_id = ?", libraryCodeId).stream()
                .map(row -> Sql.uuid(row, "id")).toList();
        Api.Response revoked = api.post(PATH + "/" + libraryCodeId + "/revoke", null).token(admin()).send();
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
        assertThat(revoked.json().get("revokedAt").asText()).isNotBlank();
        assertThat(grantIds).hasSize(2);
        for (UUID grantId : grantIds) {
            assertThat(Sql.optionalInstant(db("select revoked_at from access_grant where id = ?", grantId), "revoked_at"))
                    .hasValue(clock.instant());
            DbRow entry = db("select seq, message from grant_stream where grant_id = ? and kind = 'revoke'", grantId);
            assertThat(Sql.longValue(entry, "seq")).isGreaterThan(before);
            assertThat(Sql.text(entry, "message")).isEqualTo(grantId.toString());
        }
        assertThat(head(EKIMAE)).isEqualTo(before + 2);
        assertThat(new GrantStreamRepository(cloud.database().client(), jp.kominkan.cloud.fleet.BrokerShards.DEFAULT).liveGrants(EKIMAE, head(EKIMAE), clock.instant()))
                .isEmpty();
        assertThat(count("select count(*) as n from staff_operation where action = 'shelter-code.revoke' and target_id = ?",
                libraryCodeId.toString())).isEqualTo(1);
        assertThat(Sql.value(db("select revoked_by from shelter_code where id = ?", libraryCodeId), "revoked_by"))
                .isPresent();

        long operations = count("select count(*) as n from staff_operation");
        Api.Response again = api.post(PATH + "/" + libraryCodeId + "/revoke", null).token(admin()).send();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asText()).endsWith("already-revoked");
        assertJapanese(again);
        assertThat(head(EKIMAE)).isEqualTo(before + 2);
        assertThat(count("select count(*) as n from staff_operation")).isEqualTo(operations);
        assertThat(statuses(api.get(PATH + "?facilityId=" + library).token(admin()).send()))
                .containsEntry(libraryCodeId.toString(), "revoked");
    }

    @Test
    @Order(5)
    void otherRolesFacilitiesAndMunicipalitiesSeeAndChangeNothing() {
        Map<String, Long> before = written();
        String revokeHall = PATH + "/" + hallNotYetId + "/revoke";
        String issueHall = body(hall, "消防団第1分団", clock.instant(), clock.instant().plus(Duration.ofDays(30)));

        assertThat(api.post(PATH, issueHall).send().status()).isEqualTo(401);
        assertThat(api.get(PATH).send().status()).isEqualTo(401);
        assertThat(api.post(revokeHall, null).send().status()).isEqualTo(401);

        for (StaffRole role : List.of(StaffRole.CARETAKER, StaffRole.CLERK)) {
            String token = givenStaff(role, hall);
            assertThat(api.post(PATH, issueHall).token(token).send().status()).as(role.wire()).isEqualTo(403);
            assertThat(api.get(PATH + "?facilityId=" + hall).token(token).send().status()).as(role.wire()).isEqualTo(403);
            assertThat(api.get(PATH + "/" + hallNotYetId).token(token).send().status()).as(role.wire()).isEqualTo(403);
            Api.Response refused = api.post(revokeHall, null).token(token).send();
            assertThat(refused.status()).as(role.wire()).isEqualTo(403);
            assertJapanese(refused);
        }

        // The library's administrator manages the library's codes, and finds the hall's nowhere.
        String libraryAdmin = givenStaff(StaffRole.FACILITY, library);
        assertThat(statuses(api.get(PATH + "?facilityId=" + library).token(libraryAdmin).send()))
                .containsKey(libraryCodeId.toString());
        assertThat(statuses(api.get(PATH).token(libraryAdmin).send())).containsOnlyKeys(libraryCodeId.toString());
        assertThat(api.post(PATH, issueHall).token(libraryAdmin).send().status()).isEqualTo(404);
        assertThat(api.get(PATH + "?facilityId=" + hall).token(libraryAdmin).send().status()).isEqualTo(404);
        assertThat(api.get(PATH + "/" + hallNotYetId).token(libraryAdmin).send().status()).isEqualTo(404);
        assertThat(api.post(revokeHall, null).token(libraryAdmin).send().status()).isEqualTo(404);

        // Another municipality's administrator, on its own host.
        String other = otherTownAdmin();
        assertThat(api.post(PATH, issueHall).token(other).header("Host", TestCloud.OTHER_HOST).send().status())
                .isEqualTo(404);
        assertThat(api.get(PATH + "/" + hallNotYetId).token(other).header("Host", TestCloud.OTHER_HOST).send().status())
                .isEqualTo(404);
        assertThat(api.post(revokeHall, null).token(other).header("Host", TestCloud.OTHER_HOST).send().status())
                .isEqualTo(404);
        Api.Response theirs = api.get(PATH).token(other).header("Host", TestCloud.OTHER_HOST).send();
        assertThat(theirs.status()).isEqualTo(200);
        assertThat(theirs.json().get("shelterCodes")).isEmpty();
        // Nor does this town's administrator reach the other town's facility, or a code that does not exist.
        long otherFacility = Sql.longValue(db("select min(f.id) as id from facility f join municipality m"
                + " on m.id = f.municipality_id where m.code = ?", TestCloud.OTHER_CODE), "id");
        assertThat(api.post(PATH, body(otherFacility, "消防団", clock.instant(), clock.instant().plus(Duration.ofDays(3))))
                .token(admin()).send().status()).isEqualTo(404);
        assertThat(api.post(PATH + "/" + UUID.randomUUID() + "/revoke", null).token(admin()).send().status()).isEqualTo(404);
        assertThat(api.post(PATH + "/not-a-uuid/revoke", null).token(admin()).send().status()).isEqualTo(404);

        assertThat(written()).isEqualTo(before);
        assertThat(statuses(api.get(PATH + "?facilityId=" + hall).token(admin()).send()))
                .containsEntry(hallNotYetId.toString(), "not-yet");
    }

    @Test
    @Order(6)
    void badRequestsAreRefusedInJapaneseAndWriteNothing() {
        Map<String, Long> before = written();
        Instant now = clock.instant();
        Instant month = now.plus(Duration.ofDays(30));
        Map<String, Integer> refusals = new java.util.LinkedHashMap<>();
        refusals.put("{", 400);
        refusals.put("[]", 400);
        refusals.put("null", 400);
        refusals.put("{}", 400);
        refusals.put("{\"facilityId\":" + library + ",\"validFrom\":\"" + at(now) + "\",\"validUntil\":\"" + at(month)
                + "\"}", 400);
        refusals.put(body(library, "", now, month), 400);
        refusals.put(body(library, "消防団\u202E第3分団", now, month), 400);
        refusals.put(body(library, "消防団\u0000", now, month), 400);
        refusals.put(body(library, "消".repeat(101), now, month), 400);
        refusals.put(body(library, HOLDER, month, now), 400);
        refusals.put(body(library, HOLDER, now, now.plus(Duration.ofDays(5 * 365))), 400);
        refusals.put(body(library, HOLDER, now, now.plus(Duration.ofDays(400)).plusSeconds(1)), 400);
        refusals.put(body(library, HOLDER, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))), 400);
        refusals.put(body(library, HOLDER, now, month).replace(at(now), "2026-04-01 09:00"), 400);
        refusals.put(body(library, HOLDER, now, month).replace("\"facilityId\":" + library,
                "\"facilityId\":\"" + library + "\""), 400);
        refusals.put(body(gym, HOLDER, now, month), 409);
        for (Map.Entry<String, Integer> refusal : refusals.entrySet()) {
            Api.Response refused = api.post(PATH, refusal.getKey()).token(admin()).send();
            assertThat(refused.status()).as(refusal.getKey() + " → " + refused.body()).isEqualTo(refusal.getValue());
            assertJapanese(refused);
        }
        Api.Response noDoors = api.post(PATH, body(gym, HOLDER, now, month)).token(admin()).send();
        assertThat(noDoors.json().get("type").asText()).endsWith("no-doors");
        assertThat(noDoors.json().get("detail").asText()).contains("扉");
        assertThat(written()).isEqualTo(before);
        // The longest window allowed still is: 400 days to the second.
        issued(body(hall, "消防団第2分団", now, now.plus(Duration.ofDays(400))));
    }

    @Test
    @Order(7)
    void useOfNamesTheShelterCodeOfItsGrantsAndNothingForABookingsGrant() {
        ShelterCodes shelter = cloud.services().shelter().codes();
        UUID hallGrant = Sql.uuid(db("select id from access_grant where shelter_code_id = ?", hallNotYetId), "id");
        assertThat(shelter.useOf(hallGrant)).hasValue(new ShelterUse(hallNotYetId, hall, town, "消防団第3分団"));

        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        long studyRoom = Sql.longValue(db("select room_id from door where id = ?", STUDY), "room_id");
        LocalDate day = LocalDate.ofInstant(clock.instant(), TOKYO).plusDays(8);
        Api.Response booking = api.post("/api/v1/reservations", "{\"roomId\":" + studyRoom + ",\"start\":\""
                        + day.atTime(20, 0).atZone(TOKYO).toOffsetDateTime() + "\",\"end\":\""
                        + day.atTime(21, 0).atZone(TOKYO).toOffsetDateTime() + "\",\"purpose\":\"自習\",\"attendees\":1}")
                .token(resident).header("Idempotency-Key", UUID.randomUUID().toString()).send();
        assertThat(booking.status()).as(booking.body()).isEqualTo(201);
        UUID bookingGrant = Sql.uuid(db("select id from access_grant where reservation_id = ?",
                UUID.fromString(booking.json().get("id").asText())), "id");
        assertThat(shelter.useOf(bookingGrant)).isEmpty();
        assertThat(shelter.useOf(UUID.randomUUID())).isEmpty();
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    String admin() {
        return api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    String givenStaff(StaffRole role, long facility) {
        String email = role.wire() + "-s" + serial.incrementAndGet() + "@city.yamabuki.example.lg.jp";
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email,
                "職員 " + serial.get(), role, Set.of(facility)), PasswordHasher.DEFAULT.hash(STAFF_PASSWORD), clock.instant());
        return api.staffLogin(email, STAFF_PASSWORD);
    }

    String otherTownAdmin() {
        Api.Response login = api.post("/api/v1/staff/session", "{\"email\":\"" + DemoData.ADMIN_EMAIL
                + "\",\"password\":\"" + DemoData.ADMIN_PASSWORD + "\"}").header("Host", TestCloud.OTHER_HOST).send();
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return login.json().get("token").asText();
    }

    UUID issued(String body) {
        Api.Response made = api.post(PATH, body).token(admin()).send();
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        codes.add(made.json().get("code").asText());
        return UUID.fromString(made.json().get("id").asText());
    }

    static String body(long facility, String holder, Instant from, Instant until) {
        try {
            return "{\"facilityId\":" + facility + ",\"holder\":" + Json.mapper().writeValueAsString(holder)
                    + ",\"validFrom\":\"" + at(from) + "\",\"validUntil\":\"" + at(until) + "\"}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String at(Instant instant) {
        return instant.atZone(TOKYO).toOffsetDateTime().toString();
    }

    /** "2026-04-01T09:00:00+09:00" as an instant's text. */
    static String offset(String text) {
        return java.time.OffsetDateTime.parse(text).toInstant().toString();
    }

    static Map<String, String> statuses(Api.Response list) {
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        Map<String, String> statuses = new HashMap<>();
        list.json().get("shelterCodes").forEach(c -> statuses.put(c.get("id").asText(), c.get("status").asText()));
        return statuses;
    }

    static void assertJapanese(Api.Response refused) {
        assertThat(refused.json().get("detail").asText()).containsPattern("[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}]");
    }

    /** How many rows a shelter code's write touches, table by table. */
    Map<String, Long> written() {
        Map<String, Long> counts = new HashMap<>();
        for (String table : List.of("shelter_code", "access_grant", "grant_stream", "staff_operation")) {
            counts.put(table, count("select count(*) as n from " + table));
        }
        counts.put("revoked", count("select count(*) as n from access_grant where revoked_at is not null"));
        return counts;
    }

    HttpResponse<String> raw(String method, String path, String body, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every log line written from now on, formatted as a log file would have it. */
    static Handler capture(List<String> lines) {
        SimpleFormatter format = new SimpleFormatter();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (lines) {
                    lines.add(format.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(handler);
        return handler;
    }

    long facility(String name) {
        return Sql.longValue(db("select id from facility where municipality_id = ? and name = ?", town, name), "id");
    }

    long head(String gateway) {
        return Sql.longValue(db("select stream_head from gateway where id = ?", gateway), "stream_head");
    }

    DbRow db(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).orElseThrow();
    }

    List<DbRow> rows(String sql, Object... params) {
        return Sql.list(cloud.database().client().execute().query(sql, params), row -> row);
    }

    long count(String sql, Object... params) {
        return Sql.longValue(db(sql, params), "n");
    }
}
