package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The staff's reservation list: one query over reservation, room, facility and account, filtered by
 * time, facility, room, status and a free text that matches a name, an e-mail, a phone number
 * (hyphens ignored) or the start of a reservation number. Always limited to the staff's scope.
 */
public final class ReservationSearch {

    /** Most rows on one page. */
    public static final int PAGE = 100;
    /** Most rows a calendar shows. */
    public static final int CALENDAR_MAX = 3000;

    private static final String SELECT = """
            select r.id, r.room_id, m.name as room_name, f.id as facility_id, f.name as facility_name, r.account_id,
                   r.status, r.starts_at, r.ends_at, r.amount, r.hold_expires_at, r.purpose, r.attendees,
                   r.payment_method, r.receipt_number, r.amount_received, r.booked_by, r.cancel_reason,
                   a.name as person, a.email, a.phone, a.walk_in, a.organisation, l.residency, l.verified_at
              from reservation r
              join room m on m.id = r.room_id
              join facility f on f.id = m.facility_id
              join account a on a.id = r.account_id
              left join identity_link l on l.account_id = a.id
             where r.municipality_id = ?""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public ReservationSearch(DbClient db) {
        this.db = db;
    }

    /**
     * Search criteria.
     *
     * @param from       starts at or after
     * @param until      starts before
     * @param facilityId in this facility
     * @param roomId     in this room
     * @param status     with this stored status (held, confirmed, cancelled, expired)
     * @param text       name, e-mail, phone or reservation number
     * @param scope      only these facilities; empty for all (a main administrator)
     * @param page       which page, from 0
     */
    public record Criteria(Instant from, Instant until, Optional<Long> facilityId, Optional<Long> roomId,
                           Optional<ReservationStatus> status, Optional<String> text, Optional<Set<Long>> scope,
                           int page) {
    }

    /**
     * One row of the list.
     *
     * @param id            reservation
     * @param roomId        room
     * @param roomName      room's name
     * @param facilityId    facility
     * @param facilityName  facility's name
     * @param accountId     who booked
     * @param status        stored status
     * @param range         when
     * @param amount        fee, yen
     * @param holdDeadline  payment deadline while held
     * @param purpose       purpose
     * @param attendees     people
     * @param paymentMethod how it was paid
     * @param receiptNumber receipt number of a counter payment
     * @param amountReceived cash received
     * @param bookedBy      the member of staff who booked it at the counter
     * @param cancelReason  why staff cancelled it
     * @param person        the booker's name
     * @param email         their e-mail
     * @param phone         their phone
     * @param walkIn        whether they booked at the counter without an account
     * @param organisation  their organisation (団体名), if given
     * @param residency     市内 / 市外 as judged at verification, when verified
     * @param verifiedAt    when their identity was verified
     */
    public record Row(UUID id, long roomId, String roomName, long facilityId, String facilityName, UUID accountId,
                      ReservationStatus status, SlotRange range, int amount, Optional<Instant> holdDeadline,
                      String purpose, int attendees, Optional<String> paymentMethod, Optional<String> receiptNumber,
                      Optional<Integer> amountReceived, Optional<UUID> bookedBy, Optional<String> cancelReason,
                      String person, Optional<String> email, Optional<String> phone, boolean walkIn,
                      Optional<String> organisation, Optional<String> residency, Optional<Instant> verifiedAt) {

        /** @return the number people read out: the first eight characters of the id, upper-case */
        public String number() {
            return id.toString().substring(0, 8).toUpperCase(Locale.ROOT);
        }

        /**
         * @param now now
         * @return the status as it stands (a hold past its deadline has expired)
         */
        public ReservationStatus statusAt(Instant now) {
            return status == ReservationStatus.HELD && holdDeadline.map(d -> !d.isAfter(now)).orElse(false)
                    ? ReservationStatus.EXPIRED : status;
        }
    }

    /**
     * @param municipalityId the municipality
     * @param c              criteria
     * @return one page of rows, by start time, and whether there are more
     */
    public Result find(long municipalityId, Criteria c) {
        return find(municipalityId, c, PAGE);
    }

    /**
     * Every row of a short range, for a calendar: not paged, up to {@value #CALENDAR_MAX}.
     *
     * @param municipalityId the municipality
     * @param c              criteria (page is ignored)
     * @return the rows, and whether there were more than could be shown
     */
    public Result calendar(long municipalityId, Criteria c) {
        return find(municipalityId, new Criteria(c.from(), c.until(), c.facilityId(), c.roomId(), c.status(), c.text(),
                c.scope(), 0), CALENDAR_MAX);
    }

    private Result find(long municipalityId, Criteria c, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" and r.starts_at >= ? and r.starts_at < ?");
        List<Object> params = new ArrayList<>(List.of(municipalityId, Sql.at(c.from()), Sql.at(c.until())));
        c.scope().ifPresent(scope -> {
            if (scope.isEmpty()) {
                sql.append(" and 1 = 0");
            } else {
                sql.append(" and f.id in (").append(String.join(", ", Collections.nCopies(scope.size(), "?"))).append(")");
                params.addAll(scope);
            }
        });
        c.facilityId().ifPresent(id -> {
            sql.append(" and f.id = ?");
            params.add(id);
        });
        c.roomId().ifPresent(id -> {
            sql.append(" and r.room_id = ?");
            params.add(id);
        });
        c.status().ifPresent(status -> {
            sql.append(" and r.status = ?");
            params.add(status.wire());
        });
        c.text().map(t -> t.strip().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).ifPresent(t -> {
            String like = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            String digits = t.replaceAll("[^0-9]", "");
            sql.append(" and (lower(a.name) like ? escape '\\' or lower(a.email) like ? escape '\\'");
            params.add(like);
            params.add(like);
            // A reservation number only when the text could be the start of one: a name or an e-mail with its
            // non-hex letters dropped would be a short prefix, or none, and match any reservation.
            if (t.matches("[0-9a-f-]{1,36}")) {
                sql.append(" or lower(cast(r.id as varchar(36))) like ?");
                params.add(t + "%");
            }
            if (digits.length() >= 3) {
                sql.append(" or replace(a.phone, '-', '') like ?");
                params.add("%" + digits + "%");
            }
            sql.append(")");
        });
        sql.append(" order by r.starts_at, r.id limit ").append(limit + 1).append(" offset ").append(c.page() * limit);
        List<Row> rows = Sql.list(db.execute().query(sql.toString(), params.toArray()), ReservationSearch::map);
        boolean more = rows.size() > limit;
        return new Result(more ? rows.subList(0, limit) : rows, more);
    }

    /**
     * @param municipalityId the municipality
     * @param id             a reservation
     * @return its row
     */
    public Optional<Row> one(long municipalityId, UUID id) {
        return db.execute().get(SELECT + " and r.id = ?", municipalityId, id).map(ReservationSearch::map);
    }

    /**
     * A page of the list.
     *
     * @param rows rows
     * @param more whether a next page exists
     */
    public record Result(List<Row> rows, boolean more) {
    }

    private static Row map(DbRow row) {
        return new Row(Sql.uuid(row, "id"), Sql.longValue(row, "room_id"), Sql.text(row, "room_name"),
                Sql.longValue(row, "facility_id"), Sql.text(row, "facility_name"), Sql.uuid(row, "account_id"),
                ReservationStatus.of(Sql.text(row, "status")),
                new SlotRange(Sql.instant(row, "starts_at"), Sql.instant(row, "ends_at")), Sql.integer(row, "amount"),
                Sql.optionalInstant(row, "hold_expires_at"), Sql.text(row, "purpose"), Sql.integer(row, "attendees"),
                Sql.optionalText(row, "payment_method"), Sql.optionalText(row, "receipt_number"),
                Sql.value(row, "amount_received").map(v -> ((Number) v).intValue()),
                Sql.value(row, "booked_by").map(v -> UUID.fromString(v.toString())),
                Sql.optionalText(row, "cancel_reason"), Sql.text(row, "person"), Sql.optionalText(row, "email"),
                Sql.optionalText(row, "phone"), Boolean.TRUE.equals(Sql.value(row, "walk_in").orElse(false)),
                Sql.optionalText(row, "organisation"), Sql.optionalText(row, "residency"),
                Sql.optionalInstant(row, "verified_at"));
    }
}
