package jp.kominkan.cloud.lottery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;

/**
 * The draw's outcome in the database, for H2 and PostgreSQL alike: wins and their reservations, substitute lists,
 * and whom to tell. The owner of {@code lottery_win} and {@code lottery_substitute}, and of the told mark on
 * applications; {@link LotteryRepository} keeps rounds, units and applications.
 */
public final class WinRepository {

    private final DbClient db;

    /**
     * @param db the database
     */
    public WinRepository(DbClient db) {
        this.db = db;
    }

    /** Whom to tell an application's result. */
    record Recipient(String email, String name) {
    }

    /** @return public id → the applicant's e-mail and name, for live accounts with an e-mail (plain JDBC, as
     * {@link #frozen}) */
    Map<String, Recipient> recipients(long roundId) {
        Map<String, Recipient> recipients = new HashMap<>();
        try (java.sql.Connection c = db.execute().unwrap(java.sql.Connection.class);
             java.sql.PreparedStatement q = c.prepareStatement("select a.public_id, c.email, c.name from"
                     + " lottery_application a join account c on c.id = a.account_id where a.round_id = ?"
                     + " and c.email is not null and c.deleted_at is null")) {
            q.setFetchSize(5000);
            q.setLong(1, roundId);
            try (java.sql.ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    recipients.put(rows.getString(1), new Recipient(rows.getString(2), rows.getString(3)));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not read round " + roundId + "'s applicants", e);
        }
        return recipients;
    }

    Optional<Recipient> recipient(DbExecute exec, long applicationId) {
        return exec.get("select c.email, c.name from lottery_application a join account c on c.id = a.account_id"
                        + " where a.id = ? and c.email is not null and c.deleted_at is null", applicationId)
                .map(row -> new Recipient(Sql.text(row, "email"), Sql.text(row, "name")));
    }

    /** An application whose result is not yet told, with whom to tell. */
    record Untold(long applicationId, String publicId, Optional<String> email, String name) {
    }

    /** @return drawn rounds with applications not yet told their result */
    List<Long> untold() {
        return Sql.list(db.execute().query("""
                select r.id from lottery_round r where r.status in ('published', 'finished') and exists
                  (select 1 from lottery_application a where a.round_id = r.id and a.notified_at is null)
                 order by r.id"""), row -> Sql.longValue(row, "id"));
    }

    List<Untold> untold(DbTransaction tx, long roundId, int limit) {
        return Sql.list(tx.query("""
                select a.id, a.public_id, c.email, c.name from lottery_application a join account c on c.id = a.account_id
                 where a.round_id = ? and a.notified_at is null order by a.id limit ?""", roundId, limit),
                row -> new Untold(Sql.longValue(row, "id"), Sql.text(row, "public_id"), Sql.optionalText(row, "email"),
                        Sql.text(row, "name")));
    }

    void told(DbTransaction tx, List<Long> applicationIds, Instant now) {
        for (List<Long> batch : Sql.batches(applicationIds, 500)) {
            List<Object> params = new ArrayList<>(batch.size() + 1);
            params.add(Sql.at(now));
            params.addAll(batch);
            tx.update("update lottery_application set notified_at = ? where notified_at is null and id in ("
                    + Sql.marks(batch.size()) + ")", params.toArray());
        }
    }


    /** @return application id → its places on substitute lists (unit id → position), for a whole round */
    Map<Long, Map<Long, Integer>> substitutePlacesOf(long roundId) {
        Map<Long, Map<Long, Integer>> places = new HashMap<>();
        try (var rows = db.execute().query("""
                select s.application_id, s.unit_id, s.position from lottery_substitute s
                  join lottery_unit u on u.id = s.unit_id where u.round_id = ?""", roundId)) {
            rows.forEach(row -> places.computeIfAbsent(Sql.longValue(row, "application_id"), a -> new TreeMap<>())
                    .put(Sql.longValue(row, "unit_id"), Sql.integer(row, "position")));
        }
        return places;
    }

    /**
     * A win and its reservation's state.
     *
     * @param id                the win
     * @param roundId           its round
     * @param applicationId     its application
     * @param rank              the wish won, 1 first
     * @param reservationId     the reservation held for it
     * @param source            {@code draw} or {@code substitute}
     * @param wonAt             when
     * @param settledAt         when its lapse was passed on
     * @param reservationStatus held, confirmed, cancelled or expired
     * @param holdExpiresAt     the deadline to confirm and pay, while held
     * @param amount            the fee, yen
     */
    public record StoredWin(long id, long roundId, long applicationId, int rank, UUID reservationId, String source,
                     Instant wonAt, Optional<Instant> settledAt, String reservationStatus,
                     Optional<Instant> holdExpiresAt, int amount) {
    }

    void insertWin(DbTransaction tx, long roundId, long applicationId, int rank, UUID reservationId, String source,
                   Optional<Integer> order, Instant now) {
        tx.insert("""
                insert into lottery_win (round_id, application_id, wish_rank, reservation_id, source, win_order, won_at)
                values (?, ?, ?, ?, ?, ?, ?)""", roundId, applicationId, rank, reservationId, source, order.orElse(null),
                Sql.at(now));
    }

    void insertSubstitutes(DbTransaction tx, List<Object[]> rows) {
        for (List<Object[]> batch : Sql.batches(rows, 200)) {
            List<Object> params = new ArrayList<>(batch.size() * 5);
            batch.forEach(r -> params.addAll(List.of(r)));
            tx.insert("insert into lottery_substitute (unit_id, position, application_id, wish_rank, draw_position) values "
                    + String.join(", ", java.util.Collections.nCopies(batch.size(), "(?, ?, ?, ?, ?)")), params.toArray());
        }
    }

    private static final String WIN_COLUMNS = """
            w.id, w.round_id, w.application_id, w.wish_rank, w.reservation_id, w.source, w.won_at, w.settled_at,
            r.status as reservation_status, r.hold_expires_at, r.amount""";

    List<StoredWin> wins(DbExecute exec, long roundId) {
        return Sql.list(exec.query("select " + WIN_COLUMNS + " from lottery_win w join reservation r on r.id ="
                + " w.reservation_id where w.round_id = ? order by w.win_order, w.id", roundId), WinRepository::win);
    }

    Optional<StoredWin> winOf(DbExecute exec, long applicationId) {
        return exec.get("select " + WIN_COLUMNS + " from lottery_win w join reservation r on r.id = w.reservation_id"
                + " where w.application_id = ?", applicationId).map(WinRepository::win);
    }

    List<StoredWin> unsettledLapses() {
        return Sql.list(db.execute().query("select " + WIN_COLUMNS + " from lottery_win w join reservation r on r.id ="
                + " w.reservation_id where w.settled_at is null and r.status in ('expired', 'cancelled')"
                + " order by w.id limit 200"), WinRepository::win);
    }

    boolean settle(DbTransaction tx, long winId, Instant now) {
        return tx.update("update lottery_win set settled_at = ? where id = ? and settled_at is null", Sql.at(now),
                winId) == 1;
    }

    /** Active wins (held or confirmed) of one person, and of one group, in a round. */
    int activeWinsOfPerson(DbTransaction tx, long roundId, String personKey) {
        return count(tx.get("""
                select count(*) as n from lottery_win w join lottery_application a on a.id = w.application_id
                  join reservation r on r.id = w.reservation_id
                 where w.round_id = ? and a.person_key = ? and r.status in ('held', 'confirmed')""", roundId, personKey));
    }

    int activeWinsOfGroup(DbTransaction tx, long roundId, long groupId) {
        return count(tx.get("""
                select count(*) as n from lottery_win w join lottery_application a on a.id = w.application_id
                  join reservation r on r.id = w.reservation_id
                 where w.round_id = ? and a.group_id = ? and r.status in ('held', 'confirmed')""", roundId, groupId));
    }

    /** A substitute in line for a unit. */
    record InLine(long applicationId, int rank, int drawPosition) {
    }

    List<InLine> substitutesFor(DbTransaction tx, List<Long> unitIds) {
        String marks = Sql.marks(unitIds.size());
        return Sql.list(tx.query("select distinct application_id, wish_rank, draw_position from lottery_substitute"
                + " where unit_id in (" + marks + ") order by draw_position, wish_rank", unitIds.toArray()),
                row -> new InLine(Sql.longValue(row, "application_id"), Sql.integer(row, "wish_rank"),
                        Sql.integer(row, "draw_position")));
    }

    /** @return unit id → its substitutes' public ids and ranks, first first */
    Map<Long, List<AuditFile.SubstituteView>> substitutes(DbExecute exec, long roundId) {
        Map<Long, List<AuditFile.SubstituteView>> lists = new TreeMap<>();
        try (var rows = exec.query("""
                select s.unit_id, a.public_id, s.wish_rank from lottery_substitute s
                  join lottery_unit u on u.id = s.unit_id join lottery_application a on a.id = s.application_id
                 where u.round_id = ? order by s.unit_id, s.position""", roundId)) {
            rows.forEach(row -> lists.computeIfAbsent(Sql.longValue(row, "unit_id"), u -> new ArrayList<>())
                    .add(new AuditFile.SubstituteView(Sql.text(row, "public_id"), Sql.integer(row, "wish_rank"))));
        }
        return lists;
    }

    /** @return the application's places on substitute lists: unit id → position */
    Map<Long, Integer> substitutePlaces(DbExecute exec, long applicationId) {
        Map<Long, Integer> places = new TreeMap<>();
        try (var rows = exec.query("select unit_id, position from lottery_substitute where application_id = ?",
                applicationId)) {
            rows.forEach(row -> places.put(Sql.longValue(row, "unit_id"), Sql.integer(row, "position")));
        }
        return places;
    }

    /**
     * One application as staff see it in the results.
     *
     * @param publicId          its number
     * @param name              the applicant's name
     * @param groupName         the group applied for
     * @param tier              its priority tier
     * @param residency         resident, non-resident
     * @param appliedAt         when
     * @param wonRank           the wish won
     * @param source            {@code draw} or {@code substitute}, when won
     * @param reservationStatus the won reservation's status
     */
    public record StaffRow(String publicId, String name, Optional<String> groupName, int tier, String residency,
                    Instant appliedAt, Optional<Integer> wonRank, Optional<String> source,
                    Optional<String> reservationStatus) {
    }

    List<StaffRow> staffRows(long roundId, int offset, int limit) {
        return Sql.list(db.execute().query("""
                select a.public_id, c.name, g.name as group_name, a.tier, a.residency, a.created_at, w.wish_rank,
                       w.source, r.status
                  from lottery_application a join account c on c.id = a.account_id
                  left join app_group g on g.id = a.group_id
                  left join lottery_win w on w.application_id = a.id
                  left join reservation r on r.id = w.reservation_id
                 where a.round_id = ? order by a.public_id limit ? offset ?""", roundId, limit, offset),
                row -> new StaffRow(Sql.text(row, "public_id"),
                Sql.text(row, "name"), Sql.optionalText(row, "group_name"), Sql.integer(row, "tier"),
                Sql.text(row, "residency"), Sql.instant(row, "created_at"),
                Sql.value(row, "wish_rank").map(v -> Sql.integer(row, "wish_rank")), Sql.optionalText(row, "source"),
                Sql.optionalText(row, "status")));
    }

    /** @return whether the application's account still exists (not deleted) */
    boolean live(DbExecute exec, long applicationId) {
        return count(exec.get("select count(*) as n from lottery_application a join account c on c.id = a.account_id"
                + " where a.id = ? and c.deleted_at is null", applicationId)) == 1;
    }

    private static int count(Optional<DbRow> row) {
        return row.map(r -> Sql.integer(r, "n")).orElse(0);
    }

    private static StoredWin win(DbRow row) {
        return new StoredWin(Sql.longValue(row, "id"), Sql.longValue(row, "round_id"),
                Sql.longValue(row, "application_id"), Sql.integer(row, "wish_rank"), Sql.uuid(row, "reservation_id"),
                Sql.text(row, "source"), Sql.instant(row, "won_at"), Sql.optionalInstant(row, "settled_at"),
                Sql.text(row, "reservation_status"), Sql.optionalInstant(row, "hold_expires_at"),
                Sql.integer(row, "amount"));
    }
}
