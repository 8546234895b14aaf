package jp.kominkan.cloud.residents;

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
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.account.JdbcAccountRepository;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The staff's side of residents' accounts, in SQL that runs on H2 and PostgreSQL alike: search, the
 * back-office columns of an account (walk-in, suspension), staff notes, a resident's bookings, and the
 * suspension writes (each in the caller's transaction, with its operation log entry).
 */
public final class ResidentRepository {

    /** Most residents on one page of the search. */
    public static final int PAGE = 50;
    /** Most bookings a resident's page lists. */
    public static final int MAX_BOOKINGS = 200;

    private static final String SEARCH = """
            select a.id, a.name, a.email, a.phone, a.walk_in, a.suspended_at
              from account a
             where a.municipality_id = ? and a.deleted_at is null""";
    private static final String STANDING = """
            select a.walk_in, a.created_at, a.suspended_at, a.suspension_reason
              from account a where a.id = ? and a.municipality_id = ? and a.deleted_at is null""";
    private static final String NOTES = """
            select n.id, n.note, n.created_at, s.name as staff_name, s.staff_role
              from resident_note n join staff_account s on s.id = n.staff_id
             where n.account_id = ? and n.municipality_id = ?
             order by n.created_at desc, n.id desc limit 100""";
    private static final String BOOKINGS = """
            select r.id, r.status, r.starts_at, r.ends_at, r.hold_expires_at, r.amount, m.name as room_name,
                   f.id as facility_id, f.name as facility_name
              from reservation r
              join room m on m.id = r.room_id
              join facility f on f.id = m.facility_id
             where r.municipality_id = ? and r.account_id = ?""";
    private static final String INSERT_NOTE = """
            insert into resident_note (municipality_id, account_id, staff_id, note, created_at) values (?, ?, ?, ?, ?)""";
    private static final String LAST_NOTE = """
            select max(id) as id from resident_note where account_id = ? and staff_id = ?""";
    private final DbClient db;

    /**
     * @param db the database
     */
    public ResidentRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param municipalityId the municipality
     * @param text           a name, an e-mail or phone digits (hyphens ignored); blank lists everyone
     * @param page           which page, from 0
     * @return one page, by name, and whether there are more
     */
    public Found search(long municipalityId, String text, int page) {
        StringBuilder sql = new StringBuilder(SEARCH);
        List<Object> params = new ArrayList<>(List.of(municipalityId));
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
            String like = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" and (lower(a.name) like ? escape '\\' or lower(a.email) like ? escape '\\'");
            params.add(like);
            params.add(like);
            String digits = t.replaceAll("[^0-9]", "");
            // Digits only when there are enough of them: "山田 2" should not match every phone with a 2.
            if (digits.length() >= 3) {
                sql.append(" or replace(a.phone, '-', '') like ?");
                params.add("%" + digits + "%");
            }
            sql.append(")");
        }
        sql.append(" order by a.name, a.id limit ").append(PAGE + 1).append(" offset ").append(page * PAGE);
        List<ResidentSummary> rows = Sql.list(db.execute().query(sql.toString(), params.toArray()),
                row -> new ResidentSummary(Sql.uuid(row, "id"), Sql.text(row, "name"), Sql.optionalText(row, "email"),
                        Sql.optionalText(row, "phone"), flag(row, "walk_in"),
                        Sql.optionalInstant(row, "suspended_at").isPresent()));
        boolean more = rows.size() > PAGE;
        return new Found(more ? rows.subList(0, PAGE) : rows, more);
    }

    /**
     * @param municipalityId the municipality
     * @param accountId      the account
     * @return its back-office columns, while it exists and has not been deleted
     */
    public Optional<Standing> standing(long municipalityId, UUID accountId) {
        return db.execute().get(STANDING, accountId, municipalityId).map(row -> new Standing(flag(row, "walk_in"),
                Sql.instant(row, "created_at"), Sql.optionalInstant(row, "suspended_at"),
                Sql.optionalText(row, "suspension_reason")));
    }

    /**
     * @param municipalityId the municipality
     * @param accountId      the account
     * @return the staff's notes, newest first
     */
    public List<ResidentNote> notes(long municipalityId, UUID accountId) {
        return Sql.list(db.execute().query(NOTES, accountId, municipalityId), row -> new ResidentNote(
                Sql.longValue(row, "id"), Sql.text(row, "note"), Sql.text(row, "staff_name"),
                Sql.text(row, "staff_role"), Sql.instant(row, "created_at")));
    }

    /**
     * @param municipalityId the municipality
     * @param accountId      the account
     * @param scope          only these facilities; empty for all (a main administrator)
     * @return the bookings, latest start first, at most {@link #MAX_BOOKINGS}
     */
    public List<ResidentBooking> bookings(long municipalityId, UUID accountId, Optional<Set<Long>> scope) {
        StringBuilder sql = new StringBuilder(BOOKINGS);
        List<Object> params = new ArrayList<>(List.of(municipalityId, accountId));
        scope.ifPresent(facilities -> {
            if (facilities.isEmpty()) {
                sql.append(" and 1 = 0");
            } else {
                sql.append(" and f.id in (").append(String.join(", ", Collections.nCopies(facilities.size(), "?")))
                        .append(")");
                params.addAll(facilities);
            }
        });
        sql.append(" order by r.starts_at desc, r.id limit ").append(MAX_BOOKINGS);
        return Sql.list(db.execute().query(sql.toString(), params.toArray()), row -> new ResidentBooking(
                Sql.uuid(row, "id"), Sql.longValue(row, "facility_id"), Sql.text(row, "facility_name"),
                Sql.text(row, "room_name"), new SlotRange(Sql.instant(row, "starts_at"), Sql.instant(row, "ends_at")),
                ReservationStatus.of(Sql.text(row, "status")), Sql.optionalInstant(row, "hold_expires_at"),
                Sql.integer(row, "amount")));
    }

    /**
     * @param tx             the write's transaction
     * @param municipalityId the municipality
     * @param accountId      about whom
     * @param staffId        who writes
     * @param note           what
     * @param now            now
     * @return the note's id
     */
    public long addNote(DbTransaction tx, long municipalityId, UUID accountId, UUID staffId, String note, Instant now) {
        tx.insert(INSERT_NOTE, municipalityId, accountId, staffId, note, Sql.at(now));
        return Sql.longValue(tx.get(LAST_NOTE, accountId, staffId).orElseThrow(), "id");
    }

    /**
     * Suspends an account and ends its sessions, so that it is logged out at once.
     *
     * @param tx             the write's transaction
     * @param municipalityId the municipality
     * @param accountId      whom
     * @param reason         why
     * @param now            now
     * @return false when it was suspended already (or is gone)
     */
    public boolean suspend(DbTransaction tx, long municipalityId, UUID accountId, String reason, Instant now) {
        return JdbcAccountRepository.suspend(tx, municipalityId, accountId, reason, now);
    }

    /**
     * @param tx             the write's transaction
     * @param municipalityId the municipality
     * @param accountId      whom
     * @return false when it was not suspended
     */
    public boolean reinstate(DbTransaction tx, long municipalityId, UUID accountId) {
        return JdbcAccountRepository.reinstate(tx, municipalityId, accountId);
    }

    private static boolean flag(DbRow row, String column) {
        return Boolean.TRUE.equals(Sql.value(row, column).orElse(false));
    }

    /**
     * A page of the search.
     *
     * @param residents the residents
     * @param more      whether a next page exists
     */
    public record Found(List<ResidentSummary> residents, boolean more) {
    }

    /**
     * The back-office columns of an account.
     *
     * @param walkIn           made at the counter
     * @param createdAt        when it was made
     * @param suspendedAt      when it was suspended
     * @param suspensionReason why
     */
    public record Standing(boolean walkIn, Instant createdAt, Optional<Instant> suspendedAt,
                           Optional<String> suspensionReason) {
    }
}
