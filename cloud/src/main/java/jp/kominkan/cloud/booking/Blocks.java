package jp.kominkan.cloud.booking;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
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
import jp.kominkan.shared.slot.SlotRange;

/**
 * Blocks (点検・行政使用): slots of a room taken for maintenance or city use, once or repeating. Before
 * anything is written each date is checked — free, booked, already blocked, closed — and the report
 * is the answer when a date conflicts and no decision was given: skip the conflicting dates, or (for
 * bookings) cancel them with the block's note as the reason. A block takes its slots in room_slot
 * like a booking does, so the database keeps both from holding one slot.
 */
public final class Blocks {

    private static final String OVERLAPPING = """
            select r.id from reservation r
             where r.room_id = ? and r.status in ('held', 'confirmed') and r.starts_at < ? and r.ends_at > ?
               and (r.status = 'confirmed' or r.hold_expires_at > ?)""";
    private static final String BLOCKED = """
            select count(*) as n from room_slot where room_id = ? and slot_start >= ? and slot_start < ? and block_id is not null""";

    private final DbClient db;
    private final ReservationRepository reservations;
    private final FacilityRepository facilities;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param db           the database
     * @param reservations to release overdue holds in the way
     * @param facilities   rooms and closed days
     * @param log        the operation log
     * @param clock      the clock
     */
    public Blocks(DbClient db, ReservationRepository reservations, FacilityRepository facilities, OperationLog log,
                  Clock clock) {
        this.db = db;
        this.reservations = reservations;
        this.facilities = facilities;
        this.log = log;
        this.clock = clock;
    }

    /** What to do with a date that conflicts. */
    public enum Decision {
        /** Write nothing and answer with the report. */
        REFUSE,
        /** Block the free dates only. */
        SKIP,
        /** Cancel the bookings in the way (the resident is told the note as the reason), then block. */
        CANCEL_BOOKINGS;

        /**
         * @param wire refuse, skip or cancel-bookings
         * @return the decision
         */
        public static Decision of(String wire) {
            return switch (wire == null ? "" : wire) {
                case "", "refuse" -> REFUSE;
                case "skip" -> SKIP;
                case "cancel-bookings" -> CANCEL_BOOKINGS;
                default -> throw Problem.badField("onConflict", "onConflict is refuse, skip or cancel-bookings.",
                        "重なる予約の扱いを選んでください。");
            };
        }
    }

    /**
     * A block to make.
     *
     * @param roomId        the room
     * @param kind          maintenance or city-use
     * @param note          what for (shown to staff; the reason given for cancelled bookings)
     * @param plan          the dates and times
     * @param untilMidnight whether each ends at 24:00
     * @param decision      what to do with conflicting dates
     * @param dryRun        report only
     */
    public record BlockRequest(long roomId, String kind, String note, BlockPlan plan, boolean untilMidnight,
                               Decision decision, boolean dryRun) {
    }

    /**
     * One date of the report.
     *
     * @param date         the date
     * @param state        free, booked, blocked or closed
     * @param reservations the bookings in the way
     * @param written      whether it was blocked now
     */
    public record DateReport(LocalDate date, String state, List<UUID> reservations, boolean written) {
    }

    /**
     * The outcome.
     *
     * @param seriesId  the series written (empty for a dry run or a refusal)
     * @param dates     each date
     * @param conflicts whether any date conflicts
     */
    public record Report(Optional<UUID> seriesId, List<DateReport> dates, boolean conflicts) {
    }

    /**
     * @param town   where
     * @param member who (edit facilities, the room's facility in scope)
     * @param actor  who, from where
     * @param r      what
     * @return the report; {@link #written} dates have their slots
     * @throws Conflicts when a date conflicts and the decision is to refuse (nothing written)
     */
    public Report create(Municipality town, StaffMember member, Actor actor, BlockRequest r) {
        Room room = facilities.room(town.id(), r.roomId()).filter(x -> member.mayManage(x.facilityId()))
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
        if (!member.may(Permission.EDIT_FACILITIES)) {
            throw StaffAuthenticator.forbidden();
        }
        if (!Set.of("maintenance", "city-use").contains(r.kind())) {
            throw Problem.badField("kind", "kind is maintenance or city-use.", "種類は「点検」か「行政使用」を選んでください。");
        }
        String note = r.note() == null ? "" : r.note().strip();
        if (note.isEmpty() || note.length() > 400) {
            throw Problem.badField("note", "Say what the block is for (up to 400 characters).",
                    "用途を入力してください（400 文字まで）。例: 空調点検");
        }
        if (!r.untilMidnight() && !r.plan().end().isAfter(r.plan().start())) {
            throw Problem.badField("end", "The end must be after the start.", "終了時刻は開始時刻より後にしてください。");
        }
        Instant now = clock.instant();
        List<LocalDate> dates = r.plan().dates();
        Set<LocalDate> closed = facilities.closedDays(room.facilityId(), dates.get(0), dates.get(dates.size() - 1));
        List<DateReport> report = new ArrayList<>();
        boolean conflicts = false;
        for (LocalDate date : dates) {
            SlotRange range = r.plan().on(date, town.zone(), r.untilMidnight());
            if (!range.start().isAfter(now)) {
                throw Problem.badField("date", date + " has already begun; blocks are for the future.",
                        date + " はすでに過ぎています。これから先の日時を指定してください。");
            }
            reservations.expireOverdueHolds(room.id(), range, now);
            List<UUID> booked = Sql.list(db.execute().query(OVERLAPPING, room.id(), Sql.at(range.end()),
                    Sql.at(range.start()), Sql.at(now)), row -> Sql.uuid(row, "id"));
            long blocked = Sql.longValue(db.execute().get(BLOCKED, room.id(), Sql.at(range.start()), Sql.at(range.end()))
                    .orElseThrow(), "n");
            String state = closed.contains(date) ? "closed" : blocked > 0 ? "blocked" : booked.isEmpty() ? "free" : "booked";
            conflicts |= state.equals("blocked") || state.equals("booked");
            report.add(new DateReport(date, state, booked, false));
        }
        if (r.dryRun() || conflicts && r.decision() == Decision.REFUSE) {
            if (!r.dryRun()) {
                throw new Conflicts(new Report(Optional.empty(), report, true));
            }
            return new Report(Optional.empty(), report, conflicts);
        }
        UUID series = UUID.randomUUID();
        List<DateReport> done = new ArrayList<>();
        DbTransaction tx = db.transaction();
        try {
            for (DateReport d : report) {
                boolean take = d.state().equals("free")
                        || d.state().equals("booked") && r.decision() == Decision.CANCEL_BOOKINGS;
                if (take) {
                    for (UUID reservation : d.reservations()) {
                        if (StaffBookingWrites.cancel(tx, reservation, member.id(), note, now)) {
                            log.append(tx, town.id(), actor, Change.of("reservation.cancel", "reservation", reservation,
                                    room.facilityId(), null, Map.of("status", "cancelled", "reason", note,
                                            "by", "block " + series)), now);
                        }
                    }
                    insert(tx, town, room, member, series, r, note, d.date());
                }
                done.add(new DateReport(d.date(), d.state(), d.reservations(), take));
            }
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("roomId", room.id());
            after.put("kind", r.kind());
            after.put("note", note);
            after.put("dates", done.stream().filter(DateReport::written).map(d -> d.date().toString()).toList());
            after.put("start", r.plan().start().toString());
            after.put("end", r.untilMidnight() ? "24:00" : r.plan().end().toString());
            log.append(tx, town.id(), actor, Change.of("block.create", "block-series", series, room.facilityId(), null,
                    after), now);
            tx.commit();
            jp.kominkan.cloud.db.AfterCommit.run(db);
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                throw Problem.conflict("changed-meanwhile", "A booking was made meanwhile on one of the dates; nothing"
                        + " was written. Check again.", "確認の後に予約が入ったため、何も登録していません。もう一度確認してください。");
            }
            throw e;
        }
        return new Report(Optional.of(series), done, conflicts);
    }

    /**
     * Removes a block series' future dates.
     *
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param series which series
     * @return how many dates were removed
     */
    public int remove(Municipality town, StaffMember member, Actor actor, UUID series) {
        List<DbRow> rows = Sql.list(db.execute().query("""
                select b.id, b.room_id, m.facility_id from room_block b join room m on m.id = b.room_id
                 where b.municipality_id = ? and b.series_id = ? and b.ends_at > ? and b.kind <> 'lottery'""",
                town.id(), series, Sql.at(clock.instant())), row -> row);
        if (rows.isEmpty() || !member.mayManage(Sql.longValue(rows.get(0), "facility_id"))) {
            throw Problem.notFound("block", "ブロック");
        }
        if (!member.may(Permission.EDIT_FACILITIES)) {
            throw StaffAuthenticator.forbidden();
        }
        long facility = Sql.longValue(rows.get(0), "facility_id");
        DbTransaction tx = db.transaction();
        try {
            for (DbRow row : rows) {
                BlockWrites.remove(tx, Sql.longValue(row, "id"));
            }
            log.append(tx, town.id(), actor, Change.of("block.remove", "block-series", series, facility,
                    Map.of("dates", rows.size()), null), clock.instant());
            tx.commit();
            jp.kominkan.cloud.db.AfterCommit.run(db);
        } catch (RuntimeException e) {
            Sql.rollbackQuietly(tx);
            throw e;
        }
        return rows.size();
    }

    /**
     * @param town   where
     * @param roomId which room
     * @param from   from
     * @param until  until
     * @return the blocks in that time
     */
    public List<Map<String, Object>> list(Municipality town, long roomId, Instant from, Instant until) {
        return Sql.list(db.execute().query("""
                select id, series_id, kind, note, starts_at, ends_at from room_block
                 where municipality_id = ? and room_id = ? and ends_at > ? and starts_at < ? order by starts_at""",
                town.id(), roomId, Sql.at(from), Sql.at(until)), row -> {
                    Map<String, Object> block = new LinkedHashMap<>();
                    block.put("id", Sql.longValue(row, "id"));
                    block.put("series", Sql.value(row, "series_id").map(Object::toString).orElse(null));
                    block.put("kind", Sql.text(row, "kind"));
                    block.put("note", Sql.text(row, "note"));
                    block.put("start", Sql.instant(row, "starts_at"));
                    block.put("end", Sql.instant(row, "ends_at"));
                    return block;
                });
    }

    /**
     * @param town   where
     * @param roomId a room
     * @return its facility, when the room is this municipality's
     */
    public Optional<Long> facilityOfRoom(Municipality town, long roomId) {
        return facilities.room(town.id(), roomId).map(Room::facilityId);
    }

    private static void insert(DbTransaction tx, Municipality town, Room room, StaffMember member, UUID series,
                               BlockRequest r, String note, LocalDate date) {
        BlockWrites.insert(tx, town.id(), room.id(), r.plan().on(date, town.zone(), r.untilMidnight()), r.kind(), note,
                series, Optional.of(member.id()));
    }

    /** A date conflicts and the decision was to refuse: nothing was written; the report says where. */
    public static final class Conflicts extends RuntimeException {
        private final transient Report report;

        /**
         * @param report the report
         */
        public Conflicts(Report report) {
            super("Block dates conflict", null, false, false);
            this.report = report;
        }

        /** @return the report */
        public Report report() {
            return report;
        }
    }
}
