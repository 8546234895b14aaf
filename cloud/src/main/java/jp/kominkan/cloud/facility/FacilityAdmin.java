package jp.kominkan.cloud.facility;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.photo.Photo;
import jp.kominkan.cloud.facility.photo.PhotoProcessor;
import jp.kominkan.cloud.facility.photo.PhotoRepository;
import jp.kominkan.cloud.facility.photo.PhotoUpload;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * Staff set up and run facilities: create and edit facilities and rooms with their opening hours,
 * publish and unpublish, closed days. Each write checks role and scope, and is logged in the
 * operation log in its own transaction.
 */
public final class FacilityAdmin {

    private final DbClient db;
    private final FacilityRepository facilities;
    private final OperationLog log;
    private final Clock clock;
    private final PhotoRepository photos;
    private final PhotoProcessor processor;

    /**
     * @param db         the database
     * @param facilities reads facilities and rooms
     * @param log        the operation log
     * @param clock      the clock
     * @param photos     stored photos
     * @param processor  checks and re-encodes uploaded photos
     */
    public FacilityAdmin(DbClient db, FacilityRepository facilities, OperationLog log, Clock clock,
                         PhotoRepository photos, PhotoProcessor processor) {
        this.db = db;
        this.facilities = facilities;
        this.log = log;
        this.clock = clock;
        this.photos = photos;
        this.processor = processor;
    }

    /** @return the upload limits */
    public PhotoProcessor.Limits photoLimits() {
        return processor.limits();
    }

    /**
     * Adds a photo: checked, re-encoded without metadata, stored with its required alt text.
     *
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId which facility
     * @param upload     the uploaded form
     * @return the photo's id
     */
    public UUID addPhoto(Municipality town, StaffMember member, Actor actor, long facilityId, PhotoUpload upload) {
        editable(town, member, facilityId);
        String alt = PhotoProcessor.altText(upload.altText());
        Photo photo = processor.process(upload.bytes(), upload.fileName(), upload.contentType());
        return Sql.inTransaction(db, tx -> {
            UUID id = photos.add(tx, town.id(), facilityId, photo, alt, clock.instant());
            log.append(tx, town.id(), actor, Change.of("photo.add", "facility", facilityId, facilityId, null,
                    Map.of("photo", id.toString(), "alt", alt, "mediaType", photo.mediaType(),
                            "width", photo.width(), "height", photo.height())), clock.instant());
            return id;
        });
    }

    /**
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId which facility
     * @param photoId    which photo
     */
    public void removePhoto(Municipality town, StaffMember member, Actor actor, long facilityId, UUID photoId) {
        editable(town, member, facilityId);
        Sql.inTransaction(db, tx -> {
            if (!photos.remove(tx, town.id(), facilityId, photoId)) {
                throw Problem.notFound("photo", "写真");
            }
            log.append(tx, town.id(), actor, Change.of("photo.remove", "facility", facilityId, facilityId,
                    Map.of("photo", photoId.toString()), null), clock.instant());
            return null;
        });
    }

    /**
     * @param town       where
     * @param facilityId which facility
     * @return its photos, in order
     */
    public List<PhotoRepository.FacilityPhoto> photos(Municipality town, long facilityId) {
        return photos.list(town.id(), facilityId);
    }

    /**
     * @param town   where
     * @param member who (a main administrator)
     * @param actor  who, from where
     * @param draft  what
     * @return the new facility, unpublished
     */
    public Facility createFacility(Municipality town, StaffMember member, Actor actor, FacilityForm.FacilityDraft draft) {
        if (!member.may(Permission.ADMINISTER)) {
            throw StaffAuthenticator.forbidden();
        }
        long id = Sql.inTransaction(db, tx -> {
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes,
                                          usage_rules, published)
                    values (?, ?, ?, ?, ?, ?, ?, ?, false)""", town.id(), draft.name(), draft.kana(), draft.address(),
                    draft.type(), draft.description(), draft.accessNotes(), draft.usageRules());
            long created = Sql.longValue(tx.get("select max(id) as id from facility where municipality_id = ? and name = ?",
                    town.id(), draft.name()).orElseThrow(), "id");
            equipment(tx, created, draft.equipment());
            log.append(tx, town.id(), actor, Change.of("facility.create", "facility", created, created, null,
                    state(draft)), clock.instant());
            return created;
        });
        return facilities.facility(town.id(), id).orElseThrow();
    }

    /**
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId which
     * @param draft      what
     * @return the facility now
     */
    public Facility updateFacility(Municipality town, StaffMember member, Actor actor, long facilityId,
                                   FacilityForm.FacilityDraft draft) {
        Facility before = editable(town, member, facilityId);
        Sql.inTransaction(db, tx -> {
            tx.update("""
                    update facility set name = ?, name_kana = ?, address = ?, facility_type = ?, description = ?,
                                        access_notes = ?, usage_rules = ?
                     where municipality_id = ? and id = ?""", draft.name(), draft.kana(), draft.address(), draft.type(),
                    draft.description(), draft.accessNotes(), draft.usageRules(), town.id(), facilityId);
            tx.delete("delete from facility_equipment where facility_id = ?", facilityId);
            equipment(tx, facilityId, draft.equipment());
            log.append(tx, town.id(), actor, Change.of("facility.update", "facility", facilityId, facilityId,
                    state(before), state(draft)), clock.instant());
            return null;
        });
        return facilities.facility(town.id(), facilityId).orElseThrow();
    }

    /**
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId which
     * @param published  whether residents see it
     * @return the facility now
     */
    public Facility publish(Municipality town, StaffMember member, Actor actor, long facilityId, boolean published) {
        Facility before = editable(town, member, facilityId);
        if (published && facilities.rooms(town.id(), facilityId).isEmpty()) {
            throw Problem.conflict("no-rooms", "Add at least one room before publishing the facility.",
                    "公開する前に、部屋を 1 つ以上登録してください。");
        }
        Sql.inTransaction(db, tx -> {
            tx.update("update facility set published = ? where municipality_id = ? and id = ?", published, town.id(),
                    facilityId);
            log.append(tx, town.id(), actor, Change.of(published ? "facility.publish" : "facility.unpublish", "facility",
                    facilityId, facilityId, Map.of("published", before.published()), Map.of("published", published)),
                    clock.instant());
            return null;
        });
        return facilities.facility(town.id(), facilityId).orElseThrow();
    }

    /**
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId in which facility
     * @param draft      what
     * @return the new room
     */
    public Room createRoom(Municipality town, StaffMember member, Actor actor, long facilityId,
                           FacilityForm.RoomDraft draft) {
        editable(town, member, facilityId);
        long id = Sql.inTransaction(db, tx -> {
            tx.insert("""
                    insert into room (municipality_id, facility_id, name, capacity, booking_horizon_days,
                                      price_per_hour_resident, price_per_hour_non_resident)
                    values (?, ?, ?, ?, ?, ?, ?)""", town.id(), facilityId, draft.name(), draft.capacity(),
                    draft.horizonDays(), draft.priceResident(), draft.priceNonResident());
            long created = Sql.longValue(tx.get("select max(id) as id from room where facility_id = ? and name = ?",
                    facilityId, draft.name()).orElseThrow(), "id");
            hours(tx, created, draft);
            log.append(tx, town.id(), actor, Change.of("room.create", "room", created, facilityId, null, state(draft)),
                    clock.instant());
            return created;
        });
        return facilities.room(town.id(), id).orElseThrow();
    }

    /**
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param roomId which
     * @param draft  what
     * @return the room now
     */
    public Room updateRoom(Municipality town, StaffMember member, Actor actor, long roomId, FacilityForm.RoomDraft draft) {
        Room before = facilities.room(town.id(), roomId).orElseThrow(() -> Problem.notFound("room", "部屋"));
        editable(town, member, before.facilityId());
        Sql.inTransaction(db, tx -> {
            tx.update("""
                    update room set name = ?, capacity = ?, booking_horizon_days = ?, price_per_hour_resident = ?,
                                    price_per_hour_non_resident = ?
                     where municipality_id = ? and id = ?""", draft.name(), draft.capacity(), draft.horizonDays(),
                    draft.priceResident(), draft.priceNonResident(), town.id(), roomId);
            tx.delete("delete from room_opening_hours where room_id = ?", roomId);
            hours(tx, roomId, draft);
            log.append(tx, town.id(), actor, Change.of("room.update", "room", roomId, before.facilityId(), state(before),
                    state(draft)), clock.instant());
            return null;
        });
        return facilities.room(town.id(), roomId).orElseThrow();
    }

    /**
     * Closes a facility for a day (休館日). Refused while a booking is held or confirmed that day: staff
     * cancel or move those first, so no resident is surprised.
     *
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId which
     * @param date       the day
     * @param reason     why, shown to residents
     */
    public void addClosedDay(Municipality town, StaffMember member, Actor actor, long facilityId, LocalDate date,
                             String reason) {
        editable(town, member, facilityId);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 200) {
            throw Problem.badField("reason", "Give the reason (up to 200 characters), e.g. 年末年始.",
                    "理由を入力してください（200 文字まで。例: 年末年始）。");
        }
        java.time.Instant start = date.atStartOfDay(town.zone()).toInstant();
        java.time.Instant end = date.plusDays(1).atStartOfDay(town.zone()).toInstant();
        long booked = Sql.longValue(db.execute().get("""
                select count(*) as n from reservation r join room m on m.id = r.room_id
                 where m.facility_id = ? and r.status in ('held', 'confirmed') and r.starts_at < ? and r.ends_at > ?""",
                facilityId, Sql.at(end), Sql.at(start)).orElseThrow(), "n");
        if (booked > 0) {
            throw Problem.conflict("bookings-on-day", booked + " bookings are on " + date
                    + ". Cancel or move them first (see the reservation list for that day).",
                    date + " には予約が " + booked + " 件あります。先に取消または変更してください（予約一覧で確認できます）。");
        }
        Sql.inTransaction(db, tx -> {
            if (tx.get("select 1 as x from facility_closed_day where facility_id = ? and closed_on = ?", facilityId, date)
                    .isPresent()) {
                throw Problem.conflict("already-closed", date + " is already a closed day.", date + " はすでに休館日です。");
            }
            tx.insert("insert into facility_closed_day (facility_id, closed_on, reason) values (?, ?, ?)", facilityId,
                    date, why);
            log.append(tx, town.id(), actor, Change.of("closed-day.add", "facility", facilityId, facilityId, null,
                    Map.of("date", date.toString(), "reason", why)), clock.instant());
            return null;
        });
    }

    /**
     * @param town       where
     * @param member     who
     * @param actor      who, from where
     * @param facilityId which
     * @param date       the day that is open again
     */
    public void removeClosedDay(Municipality town, StaffMember member, Actor actor, long facilityId, LocalDate date) {
        editable(town, member, facilityId);
        Sql.inTransaction(db, tx -> {
            if (tx.delete("delete from facility_closed_day where facility_id = ? and closed_on = ?", facilityId, date) == 0) {
                throw Problem.notFound("closed day", "休館日");
            }
            log.append(tx, town.id(), actor, Change.of("closed-day.remove", "facility", facilityId, facilityId,
                    Map.of("date", date.toString()), null), clock.instant());
            return null;
        });
    }

    /**
     * @param facilityId a facility
     * @param from       first day
     * @param until      last day
     * @return its closed days with reasons
     */
    public Map<LocalDate, String> closedDays(long facilityId, LocalDate from, LocalDate until) {
        Map<LocalDate, String> days = new LinkedHashMap<>();
        Sql.list(db.execute().query("""
                select closed_on, reason from facility_closed_day where facility_id = ? and closed_on between ? and ?
                 order by closed_on""", facilityId, from, until), row -> row)
                .forEach(row -> days.put(Sql.date(row, "closed_on"), Sql.text(row, "reason")));
        return days;
    }

    private Facility editable(Municipality town, StaffMember member, long facilityId) {
        if (!member.mayManage(facilityId)) {
            throw Problem.notFound("facility", "施設");
        }
        if (!member.may(Permission.EDIT_FACILITIES)) {
            throw StaffAuthenticator.forbidden();
        }
        return facilities.facility(town.id(), facilityId).orElseThrow(() -> Problem.notFound("facility", "施設"));
    }

    private static void equipment(DbTransaction tx, long facilityId, List<String> items) {
        for (int i = 0; i < items.size(); i++) {
            tx.insert("insert into facility_equipment (facility_id, sort_order, name) values (?, ?, ?)", facilityId, i,
                    items.get(i));
        }
    }

    private static void hours(DbTransaction tx, long roomId, FacilityForm.RoomDraft draft) {
        for (Map.Entry<DayOfWeek, OpeningHours.Daily> day : draft.hours().entrySet()) {
            tx.insert("""
                    insert into room_opening_hours (room_id, iso_weekday, opens_minute, closes_minute) values (?, ?, ?, ?)""",
                    roomId, day.getKey().getValue(), day.getValue().opensMinute(), day.getValue().closesMinute());
        }
    }

    private static Map<String, Object> state(FacilityForm.FacilityDraft d) {
        return Map.of("name", d.name(), "kana", d.kana(), "address", d.address(), "type", d.type(),
                "description", d.description(), "accessNotes", d.accessNotes(), "usageRules", d.usageRules(),
                "equipment", d.equipment());
    }

    private static Map<String, Object> state(Facility f) {
        return Map.of("name", f.name(), "kana", f.nameKana(), "address", f.address(), "type", f.type(),
                "description", f.description(), "accessNotes", f.accessNotes(), "usageRules", f.usageRules(),
                "equipment", f.equipment());
    }

    private static Map<String, Object> state(FacilityForm.RoomDraft d) {
        return Map.of("name", d.name(), "capacity", d.capacity(), "horizonDays", d.horizonDays(),
                "priceResident", d.priceResident(), "priceNonResident", d.priceNonResident(), "hours", hours(d.hours()));
    }

    private static Map<String, Object> state(Room r) {
        return Map.of("name", r.name(), "capacity", r.capacity(), "horizonDays", r.bookingHorizonDays(),
                "priceResident", r.pricePerHourResident(), "priceNonResident", r.pricePerHourNonResident(),
                "hours", hours(r.hours().byDay()));
    }

    private static Map<String, String> hours(Map<DayOfWeek, OpeningHours.Daily> byDay) {
        Map<String, String> out = new java.util.TreeMap<>();
        byDay.forEach((day, daily) -> out.put(Integer.toString(day.getValue()), daily.opens() + "-" + daily.closes()));
        return out;
    }
}
