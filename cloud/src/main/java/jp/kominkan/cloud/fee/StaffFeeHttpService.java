package jp.kominkan.cloud.fee;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/rooms/{id}/fee-schedule} and {@code /api/v1/staff/facilities/{id}/equipment}: the fee
 * schedule, payment deadline and equipment as the staff pages edit them. The schedule travels as JSON inside
 * {@code {"schedule": …, "payDaysBefore": 3}}, read as strictly as the page's text (a key twice is an error) and
 * refused with the path at fault ({@code schedule.units[2].prices.土日祝}). Scope and role are checked by
 * {@link FeeAdmin}.
 */
public final class StaffFeeHttpService {

    private final FeeAdmin admin;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param admin         the money rules
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public StaffFeeHttpService(FeeAdmin admin, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.admin = admin;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    /** @return the routes under {@code /api/v1/staff/rooms} */
    public HttpService roomsApi() {
        return rules -> rules.get("/{id}/fee-schedule", this::schedule)
                .put("/{id}/fee-schedule", this::saveSchedule);
    }

    /** @return the routes under {@code /api/v1/staff/facilities} */
    public HttpService facilitiesApi() {
        return rules -> rules.get("/{id}/equipment", this::equipment)
                .put("/{id}/equipment/{code}", this::saveEquipment);
    }

    private void schedule(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        res.header(io.helidon.http.HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.OK_200, view(admin.schedule(town, member, PathIds.number(req, "id"))));
    }

    private void saveSchedule(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        long roomId = PathIds.number(req, "id");
        admin.schedule(town, member, roomId); // scope and role before the body is read
        ObjectNode body = body(req);
        Optional<String> document = Optional.ofNullable(body.get("schedule")).map(node -> {
            if (!node.isObject()) {
                throw Problem.badField("schedule", "schedule must be the fee schedule document (a JSON object).",
                        "schedule には料金表の文書（JSON オブジェクト）を指定してください。");
            }
            return StrictJson.write(node);
        });
        OptionalInt payDays = OptionalInt.empty();
        JsonNode days = body.get("payDaysBefore");
        if (days != null) {
            if (!days.canConvertToInt() || !days.isIntegralNumber()) {
                throw Problem.badField("payDaysBefore", "payDaysBefore is a whole number of days, 0 to 60.",
                        "payDaysBefore は 0〜60 の整数（日数）で指定してください。");
            }
            payDays = OptionalInt.of(days.intValue());
        }
        if (document.isEmpty() && payDays.isEmpty()) {
            throw Problem.badRequest("nothing-to-change", "Send schedule, payDaysBefore or both.",
                    "schedule または payDaysBefore を指定してください。");
        }
        try {
            Json.send(res, Status.OK_200, view(admin.save(town, member, Actor.of(member, req), roomId, document, payDays)));
        } catch (FeeScheduleException e) {
            throw problem("schedule", e);
        }
    }

    private void equipment(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        List<Map<String, Object>> items = admin.equipment(town, member, PathIds.number(req, "id")).stream()
                .map(StaffFeeHttpService::view).toList();
        Json.send(res, Status.OK_200, Map.of("equipment", items));
    }

    private void saveEquipment(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town);
        long facilityId = PathIds.number(req, "id");
        admin.equipment(town, member, facilityId); // scope and role before the body is read
        EquipmentBody body = Json.read(req, EquipmentBody.class);
        if (body.yen() == null || body.stock() == null || body.per() == null) {
            throw Problem.badRequest("form-incomplete", "Send name, yen, per (use or band) and stock.",
                    "name、yen、per（use または band）、stock を指定してください。");
        }
        Equipment saved = admin.saveEquipment(town, member, Actor.of(member, req), facilityId,
                req.path().pathParameters().get("code"), body.name(), body.yen(), per(body.per()), body.stock());
        Json.send(res, Status.OK_200, view(saved));
    }

    /**
     * @param field     the field that holds the document
     * @param exception what is wrong in it
     * @return a 400 that names the path
     */
    public static Problem problem(String field, FeeScheduleException exception) {
        String path = exception.path().isEmpty() ? field : field + "." + exception.path();
        return Problem.badField(path, path + ": " + exception.messageEn(), path + ": " + exception.messageJa());
    }

    /**
     * @param text {@code use} or {@code band}
     * @return what the price is per
     */
    public static FeeRequest.Per per(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "use" -> FeeRequest.Per.USE;
            case "band" -> FeeRequest.Per.BAND;
            default -> throw Problem.badField("per", "per is use (once per booking) or band (per time band).",
                    "料金の単位は use（1 回ごと）か band（区分ごと）です。");
        };
    }

    private static Map<String, Object> view(FeeAdmin.RoomSchedule schedule) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("roomId", schedule.room().id());
        schedule.version().ifPresent(v -> view.put("version", v));
        view.put("hourlyDefault", schedule.version().isEmpty());
        view.put("payDaysBefore", schedule.payDaysBefore());
        view.put("schedule", StrictJson.read(schedule.document()));
        return view;
    }

    private static Map<String, Object> view(Equipment e) {
        return Map.of("code", e.code(), "name", e.name(), "yen", e.yen(),
                "per", e.per().name().toLowerCase(Locale.ROOT), "stock", e.stock());
    }

    /** The body as text, at most 64 KiB, then parsed with duplicate keys refused. */
    private static ObjectNode body(ServerRequest req) {
        req.headers().contentType().ifPresent(type -> {
            if (!type.mediaType().subtype().endsWith("json")) {
                throw Problem.unsupportedMediaType();
            }
        });
        if (req.headers().contentLength().orElse(0) > Json.MAX_BODY) {
            throw Problem.tooLarge(Json.MAX_BODY);
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(Json.MAX_BODY + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > Json.MAX_BODY) {
            throw Problem.tooLarge(Json.MAX_BODY);
        }
        try {
            JsonNode node = StrictJson.read(new String(bytes, StandardCharsets.UTF_8));
            if (!node.isObject()) {
                throw Problem.badRequest("malformed-json", "Send a JSON object.", "JSON オブジェクトを送信してください。");
            }
            return (ObjectNode) node;
        } catch (FeeScheduleException e) {
            throw Problem.badRequest("malformed-json", "The body: " + e.messageEn(), "リクエスト本文: " + e.messageJa());
        }
    }

    /**
     * A piece of equipment as sent.
     *
     * @param name  its name
     * @param yen   its price
     * @param per   use or band
     * @param stock how many there are
     */
    record EquipmentBody(String name, Long yen, String per, Integer stock) {
    }
}
