package jp.kominkan.cloud.fee;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * What staff change about money rules (料金の管理): a room's fee schedule and payment deadline, a facility's
 * equipment (附属設備) and its refund schedule (還付規定). Each write checks the facility scope (404 outside it,
 * so its existence is not revealed) and the role (403), then changes the rows and appends the operation log in
 * one transaction. A document that cannot be used changes nothing: it is parsed before the transaction starts.
 */
public final class FeeAdmin {

    /** Largest payment deadline a room may have (the column's check, V11). */
    public static final int MAX_PAY_DAYS = 60;

    private final DbClient db;
    private final FacilityRepository facilities;
    private final RoomFees fees;
    private final EquipmentCatalog catalog;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param db         the database
     * @param facilities facilities and rooms
     * @param fees       rooms' schedules
     * @param catalog    facilities' equipment
     * @param log        the operation log
     * @param clock      the clock
     */
    public FeeAdmin(DbClient db, FacilityRepository facilities, RoomFees fees, EquipmentCatalog catalog,
                    OperationLog log, Clock clock) {
        this.db = db;
        this.facilities = facilities;
        this.fees = fees;
        this.catalog = catalog;
        this.log = log;
        this.clock = clock;
    }

    /**
     * A room's schedule as staff read it.
     *
     * @param room          the room
     * @param version       the stored row, empty when the room is priced by its hourly prices
     * @param document      the document (the hourly default written out when none is stored)
     * @param payDaysBefore days before use by which to pay (支払期限)
     */
    public record RoomSchedule(Room room, Optional<Long> version, String document, int payDaysBefore) {
    }

    /**
     * A facility's refund schedule as staff read it.
     *
     * @param facility the facility
     * @param document its own document, when it has one (else payment.Refunds' default applies)
     */
    public record RefundRules(Facility facility, Optional<String> document) {
    }

    /**
     * @param town   the municipality
     * @param member who asks
     * @param roomId the room
     * @return its schedule
     */
    public RoomSchedule schedule(Municipality town, StaffMember member, long roomId) {
        Room room = room(town, member, roomId);
        RoomFees.Current current = fees.schedule(room);
        String document = fees.document(room.id()).orElse(FeeSchedules.toJson(current.schedule()));
        return new RoomSchedule(room, current.id(), document, fees.payDaysBefore(room.id()));
    }

    /**
     * Stores a new version of a room's schedule and/or its payment deadline.
     *
     * @param town     the municipality
     * @param member   who
     * @param actor    who, from where
     * @param roomId   the room
     * @param document the new schedule, when it changes
     * @param payDays  the new payment deadline, when it changes
     * @return the schedule now
     * @throws FeeScheduleException naming the path, when the document cannot be used (nothing is written)
     */
    public RoomSchedule save(Municipality town, StaffMember member, Actor actor, long roomId, Optional<String> document,
                             OptionalInt payDays) {
        RoomSchedule before = schedule(town, member, roomId);
        // An unchanged schedule (the hourly default included) is not stored again: no new version, no log line.
        Optional<FeeSchedule> parsed = document.map(FeeSchedules::parse)
                .filter(s -> !FeeSchedules.toJson(s).equals(before.document()));
        if (payDays.isPresent() && (payDays.getAsInt() < 0 || payDays.getAsInt() > MAX_PAY_DAYS)) {
            throw Problem.badField("payDaysBefore", "The payment deadline is 0 to 60 days before use.",
                    "支払期限は利用日の 0〜60 日前で入力してください。");
        }
        Instant now = clock.instant();
        Sql.inTransaction(db, tx -> {
            Map<String, Object> was = new LinkedHashMap<>();
            Map<String, Object> is = new LinkedHashMap<>();
            if (parsed.isPresent()) {
                FeeSchedule stored = RoomFees.save(tx, town.id(), roomId, FeeSchedules.toJson(parsed.get()), member.id(),
                        now);
                long version = Sql.longValue(tx.get("select max(id) as id from fee_schedule where room_id = ?", roomId)
                        .orElseThrow(), "id");
                was.put("version", before.version().map(String::valueOf).orElse("hourly"));
                was.put("sha256", sha256(before.document()));
                is.put("version", version);
                is.put("sha256", sha256(FeeSchedules.toJson(stored)));
                is.put("source", clip(stored.source()));
            }
            if (payDays.isPresent()) {
                RoomFees.savePayDays(tx, roomId, payDays.getAsInt());
                was.put("payDaysBefore", before.payDaysBefore());
                is.put("payDaysBefore", payDays.getAsInt());
            }
            if (!is.isEmpty()) {
                log.append(tx, town.id(), actor, Change.of("room.fee-schedule", "room", roomId,
                        before.room().facilityId(), was, is), now);
            }
            return null;
        });
        return schedule(town, member, roomId);
    }

    /**
     * @param town       the municipality
     * @param member     who asks
     * @param facilityId the facility
     * @return its equipment
     */
    public List<Equipment> equipment(Municipality town, StaffMember member, long facilityId) {
        return catalog.of(town.id(), facility(town, member, facilityId).id());
    }

    /**
     * Adds a piece of equipment or changes its name, price or stock.
     *
     * @param town       the municipality
     * @param member     who
     * @param actor      who, from where
     * @param facilityId the facility
     * @param code       its code
     * @param name       its name
     * @param yen        its price
     * @param per        per use or per band
     * @param stock      how many there are
     * @return it now
     * @throws Problem 409 when the stock would fall below what is booked, 400 naming a bad field
     */
    public Equipment saveEquipment(Municipality town, StaffMember member, Actor actor, long facilityId, String code,
                                   String name, long yen, FeeRequest.Per per, int stock) {
        facility(town, member, facilityId);
        Optional<Equipment> before = catalog.find(facilityId, code == null ? "" : code.strip());
        Instant now = clock.instant();
        return Sql.inTransaction(db, tx -> {
            Equipment saved = EquipmentCatalog.save(tx, town.id(), facilityId, code, name, yen, per, stock);
            log.append(tx, town.id(), actor, Change.of(before.isEmpty() ? "equipment.create" : "equipment.update",
                    "equipment", saved.id(), facilityId, before.map(FeeAdmin::state).orElse(null), state(saved)), now);
            return saved;
        });
    }

    /**
     * @param town       the municipality
     * @param member     who asks
     * @param facilityId the facility
     * @return its refund schedule
     */
    public RefundRules refundRules(Municipality town, StaffMember member, long facilityId) {
        Facility facility = facility(town, member, facilityId);
        Optional<String> document = db.execute().get("select refund_schedule from facility where id = ?", facilityId)
                .flatMap(row -> Sql.optionalText(row, "refund_schedule"));
        return new RefundRules(facility, document);
    }

    /**
     * Sets a facility's refund schedule, or goes back to the default when the document is blank.
     *
     * @param town       the municipality
     * @param member     who
     * @param actor      who, from where
     * @param facilityId the facility
     * @param document   the document; blank for the default
     * @return the rules now
     * @throws FeeScheduleException naming the path, when the document cannot be used (nothing is written)
     */
    public RefundRules saveRefundRules(Municipality town, StaffMember member, Actor actor, long facilityId,
                                       String document) {
        RefundRules before = refundRules(town, member, facilityId);
        Optional<String> canonical = document.isBlank() ? Optional.empty()
                : Optional.of(RefundSchedules.toJson(RefundSchedules.parse(document)));
        if (canonical.isPresent() && canonical.get().length() > 16_000) {
            throw new FeeScheduleException("", "還付規定が長すぎます（16,000 文字まで）。",
                    "The refund schedule is longer than 16,000 characters.");
        }
        Instant now = clock.instant();
        Sql.inTransaction(db, tx -> {
            tx.update("update facility set refund_schedule = ? where municipality_id = ? and id = ?",
                    canonical.orElse(null), town.id(), facilityId);
            log.append(tx, town.id(), actor, Change.of("facility.refund-schedule", "facility", facilityId, facilityId,
                    Map.of("sha256", before.document().map(FeeAdmin::sha256).orElse("default")),
                    Map.of("sha256", canonical.map(FeeAdmin::sha256).orElse("default"))), now);
            return null;
        });
        return refundRules(town, member, facilityId);
    }

    private Room room(Municipality town, StaffMember member, long roomId) {
        Room room = facilities.room(town.id(), roomId).filter(r -> member.mayManage(r.facilityId()))
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
        if (!member.may(Permission.EDIT_FACILITIES)) {
            throw StaffAuthenticator.forbidden();
        }
        return room;
    }

    private Facility facility(Municipality town, StaffMember member, long facilityId) {
        Facility facility = facilities.facility(town.id(), facilityId).filter(f -> member.mayManage(f.id()))
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
        if (!member.may(Permission.EDIT_FACILITIES)) {
            throw StaffAuthenticator.forbidden();
        }
        return facility;
    }

    private static Map<String, Object> state(Equipment e) {
        return Map.of("code", e.code(), "name", e.name(), "yen", e.yen(), "per", e.per().name(), "stock", e.stock());
    }

    private static String clip(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** The log keeps a document's fingerprint, not the document (up to 64 KiB). */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
