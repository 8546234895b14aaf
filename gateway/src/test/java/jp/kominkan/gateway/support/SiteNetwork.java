package jp.kominkan.gateway.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.firmware.profile.SiteProfile;

/**
 * What the site-link tests share: device credentials, booking a demo room through the resident
 * API, reading the cloud's door events, and the signed grant the cloud streamed for a booking.
 */
public final class SiteNetwork {

    /** The demo gateway of 駅前学習センター. */
    public static final String GATEWAY = DemoData.CODE + "-gw-ekimae";
    /** Its study room's door. */
    public static final String STUDY = DemoData.CODE + "-door-study";
    /** Its group room's door. */
    public static final String GROUP = DemoData.CODE + "-door-group";
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private final DoorNetwork network;
    private final String resident;
    private final String staff;

    /**
     * @param network the running door network
     */
    public SiteNetwork(DoorNetwork network) {
        this.network = network;
        this.resident = network.api().login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        this.staff = network.staff();
    }

    /**
     * @param id     a device id
     * @param secret its secret
     * @return the device, as the profile would give it
     */
    public static SiteProfile.Device device(String id, String secret) {
        return new SiteProfile.Device(id, new SiteProfile.Credential.Secret(secret.getBytes(StandardCharsets.US_ASCII),
                Path.of("secrets", id)));
    }

    /**
     * Books a room with the door's booking API, as a resident would.
     *
     * @param door   the door whose room to book
     * @param start  when
     * @param length how long
     * @return the booking ({@code id}, {@code accessCode})
     */
    public JsonNode book(String door, Instant start, Duration length) {
        long room = network.cloud().database().client().execute().get("select room_id from door where id = ?", door)
                .map(row -> Sql.longValue(row, "room_id")).orElseThrow();
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        String body = "{\"roomId\":" + room + ",\"start\":\"" + iso.format(ZonedDateTime.ofInstant(start, TOKYO))
                + "\",\"end\":\"" + iso.format(ZonedDateTime.ofInstant(start.plus(length), TOKYO))
                + "\",\"purpose\":\"自習\",\"attendees\":1}";
        Api.Response response = network.api().post("/api/v1/reservations", body).token(resident)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
        if (response.status() != 201) {
            throw new IllegalStateException("booking: " + response.status() + " " + response.body());
        }
        return response.json();
    }

    /**
     * @param reservation a booking
     * @param door        one of its doors
     * @return its grant's id
     */
    public UUID grantId(JsonNode reservation, String door) {
        return network.cloud().database().client().execute()
                .get("select id from access_grant where reservation_id = ? and door_id = ?",
                        UUID.fromString(reservation.get("id").asText()), door)
                .map(row -> Sql.uuid(row, "id")).orElseThrow();
    }

    /**
     * @param grantId a grant
     * @return the signed grant (COSE_Sign1) the cloud streamed for it
     */
    public byte[] signedGrant(UUID grantId) {
        String hex = network.cloud().database().client().execute()
                .get("select message from grant_stream where grant_id = ? and kind = 'issue'", grantId)
                .map(row -> Sql.text(row, "message")).orElseThrow();
        return java.util.HexFormat.of().parseHex(hex);
    }

    /**
     * @param door a door
     * @return its events in the cloud
     */
    public List<JsonNode> events(String door) {
        JsonNode events = network.api().get("/api/v1/staff/doors/" + door + "/events").token(staff).send().json()
                .get("events");
        return StreamSupport.stream(events.spliterator(), false).toList();
    }

    /**
     * @param door  a door
     * @param type  an event type
     * @param field a field
     * @param value its value
     * @return the first such event in the cloud
     */
    public Optional<JsonNode> event(String door, String type, String field, String value) {
        return events(door).stream().filter(e -> e.get("type").asText().equals(type))
                .filter(e -> e.has(field) && e.get(field).asText().equals(value)).findFirst();
    }

    /**
     * @param door a door
     * @param type an event type
     * @return how many such events the cloud holds
     */
    public long count(String door, String type) {
        return events(door).stream().filter(e -> e.get("type").asText().equals(type)).count();
    }
}
