package jp.kominkan.cloud.waitlist;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/** The waiting list's table in SQL that runs on H2 and PostgreSQL alike; it owns {@code waitlist_entry}. */
final class WaitlistRepository {

    /** Most entries per person at once. */
    static final int MAX_PER_PERSON = 5;

    private static final String COLUMNS = "id, municipality_id, room_id, account_id, starts_at, ends_at, purpose, attendees,"
            + " offer_reservation_id, created_at";
    private static final String MINE = "select " + COLUMNS + " from waitlist_entry where account_id = ? order by starts_at";
    private static final String ONE = "select " + COLUMNS + " from waitlist_entry where id = ? and account_id = ?";
    private static final String AHEAD = """
            select count(*) as n from waitlist_entry where room_id = ? and starts_at < ? and ends_at > ?
               and line_no < (select line_no from waitlist_entry where id = ?)""";
    private static final String WAITING = "select " + COLUMNS + " from waitlist_entry where status = 'waiting'"
            + " and starts_at > ? order by line_no limit ?";
    private static final String WAITING_IN_ROOM = "select " + COLUMNS + " from waitlist_entry where status = 'waiting'"
            + " and room_id = ? and starts_at > ? order by line_no limit ?";
    /** Offers whose hold is confirmed (accepted), or no longer live (lapsed): the entry is done. */
    private static final String DONE_OFFERS = """
            select w.id from waitlist_entry w join reservation r on r.id = w.offer_reservation_id
             where w.status = 'offered' and (r.status in ('confirmed', 'cancelled', 'expired')
                   or (r.status = 'held' and r.hold_expires_at <= ?))""";

    private final DbClient db;

    WaitlistRepository(DbClient db) {
        this.db = db;
    }

    /**
     * Joins, under the account's row lock so that the per-person numbers 1..5 are taken one at a time.
     *
     * @throws Problem 409 already-waiting for the same range, waitlist-full beyond five
     */
    void join(WaitlistEntry e) {
        Sql.inTransaction(db, tx -> {
            tx.get("select id from account where id = ? for update", e.accountId());
            Set<Integer> taken = new HashSet<>(Sql.list(tx.query(
                    "select person_ordinal from waitlist_entry where account_id = ?", e.accountId()),
                    row -> Sql.integer(row, "person_ordinal")));
            int ordinal = 1;
            while (taken.contains(ordinal)) {
                ordinal++;
            }
            try {
                tx.insert("""
                        insert into waitlist_entry (id, municipality_id, room_id, account_id, person_ordinal, starts_at,
                                                    ends_at, purpose, attendees, status, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?)""", e.id(), e.townId(), e.roomId(),
                        e.accountId(), ordinal, Sql.at(e.range().start()), Sql.at(e.range().end()), e.purpose(),
                        e.attendees(), Sql.at(e.createdAt()));
            } catch (RuntimeException failure) {
                throw refused(failure);
            }
            return null;
        });
    }

    private static RuntimeException refused(RuntimeException failure) {
        if (SqlFailure.of(failure) == SqlFailure.UNIQUE_VIOLATION) {
            return Problem.conflict("already-waiting", "You are already waiting for this time.",
                    "この時間はすでにキャンセル待ちに登録されています。");
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("23513".equals(sql.getSQLState())
                    || "23514".equals(sql.getSQLState()))) {
                return Problem.conflict("waitlist-full", "You can wait for at most " + MAX_PER_PERSON
                                + " times at once. Leave one first.",
                        "キャンセル待ちは同時に " + MAX_PER_PERSON + " 件までです。先にどれかを取り消してください。");
            }
        }
        return failure;
    }

    List<WaitlistEntry> mine(UUID accountId) {
        return Sql.list(db.execute().query(MINE, accountId), WaitlistRepository::map);
    }

    Optional<WaitlistEntry> one(UUID id, UUID accountId) {
        return db.execute().get(ONE, id, accountId).map(WaitlistRepository::map);
    }

    /** @return 1 for the first in line: entries of the room overlapping this one that joined before it, plus one */
    long position(WaitlistEntry e) {
        return Sql.longValue(db.execute().get(AHEAD, e.roomId(), Sql.at(e.range().end()), Sql.at(e.range().start()),
                e.id()).orElseThrow(), "n") + 1;
    }

    boolean leave(UUID id, UUID accountId) {
        return db.execute().delete("delete from waitlist_entry where id = ? and account_id = ?", id, accountId) > 0;
    }

    /** Deletes entries whose offer is done (accepted or lapsed) and entries whose range has begun. */
    int settle(Instant now) {
        List<UUID> done = Sql.list(db.execute().query(DONE_OFFERS, Sql.at(now)), row -> Sql.uuid(row, "id"));
        int n = 0;
        for (UUID id : done) {
            n += (int) db.execute().delete("delete from waitlist_entry where id = ? and status = 'offered'", id);
        }
        return n + (int) db.execute().delete("delete from waitlist_entry where starts_at <= ?", Sql.at(now));
    }

    List<WaitlistEntry> waiting(Optional<Long> roomId, Instant now, int limit) {
        return roomId.map(room -> Sql.list(db.execute().query(WAITING_IN_ROOM, room, Sql.at(now), limit),
                        WaitlistRepository::map))
                .orElseGet(() -> Sql.list(db.execute().query(WAITING, Sql.at(now), limit), WaitlistRepository::map));
    }

    /** In the hold's transaction: the entry becomes offered, or the hold is rolled back when it was left meanwhile. */
    static void markOffered(DbTransaction tx, UUID entryId, UUID reservationId) {
        if (tx.update("update waitlist_entry set status = 'offered', offer_reservation_id = ? where id = ?"
                + " and status = 'waiting'", reservationId, entryId) == 0) {
            throw Problem.conflict("waitlist-gone", "The entry was left meanwhile.", "キャンセル待ちは取り消されました。");
        }
    }

    private static WaitlistEntry map(DbRow row) {
        return new WaitlistEntry(Sql.uuid(row, "id"), Sql.longValue(row, "municipality_id"), Sql.longValue(row, "room_id"), Sql.uuid(row, "account_id"),
                new SlotRange(Sql.instant(row, "starts_at"), Sql.instant(row, "ends_at")), Sql.text(row, "purpose"),
                Sql.integer(row, "attendees"),
                Sql.value(row, "offer_reservation_id").map(v -> v instanceof UUID u ? u : UUID.fromString(v.toString())),
                Sql.instant(row, "created_at"));
    }
}
