package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.AfterCommit;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.grant.GrantBatch;
import jp.kominkan.cloud.grant.GrantStreamWrites;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Reservations and room slots in SQL that runs on H2 and PostgreSQL alike.
 *
 * <p>Double booking is prevented by the primary key of {@code room_slot (room_id, slot_start)}:
 * a reservation inserts one row per slot in the transaction that inserts the reservation, so of
 * two transactions that want a slot, the second fails with a unique violation (SQLSTATE 23505)
 * and nothing of it is written.
 */
public final class JdbcReservationRepository implements ReservationRepository {

    private static final String COLUMNS = """
            id, municipality_id, room_id, account_id, status, starts_at, ends_at, purpose, attendees, amount,
            hold_expires_at, created_at""";
    private static final String BY_KEY = "select " + COLUMNS + ", request_hash from reservation"
            + " where account_id = ? and idempotency_key = ?";
    private static final String BY_ID = "select " + COLUMNS + " from reservation where municipality_id = ? and id = ?";
    private static final String BY_ACCOUNT = "select " + COLUMNS + " from reservation where account_id = ?"
            + " order by starts_at desc limit 500";
    // My bookings, a page at a time (reservation_account_ix is on account_id, starts_at). Upcoming means not yet
    // ended, so a booking under way stays at the top of the upcoming list until its end.
    private static final String UPCOMING = "select " + COLUMNS + " from reservation where account_id = ? and ends_at > ?"
            + " order by starts_at, id limit ? offset ?";
    private static final String PAST = "select " + COLUMNS + " from reservation where account_id = ? and ends_at <= ?"
            + " order by starts_at desc, id desc limit ? offset ?";
    private static final String COUNT_UPCOMING = "select count(*) as n from reservation where account_id = ? and ends_at > ?";
    private static final String COUNT_PAST = "select count(*) as n from reservation where account_id = ? and ends_at <= ?";
    private static final String CANCEL = """
            update reservation set status = 'cancelled', cancelled_at = ?
             where id = ? and status in ('held', 'confirmed')""";
    private static final String SEALED_CODE = "select access_code_sealed from reservation where id = ?";
    private static final String OVERDUE = """
            select id from reservation where status = 'held' and hold_expires_at <= ? order by hold_expires_at limit ?""";
    private static final String OVERDUE_IN_RANGE = """
            select distinct reservation_id from room_slot
             where room_id = ? and slot_start >= ? and slot_start < ? and hold_expires_at <= ?""";
    private static final String EXPIRE = """
            update reservation set status = 'expired' where id = ? and status = 'held' and hold_expires_at <= ?""";
    private static final String OCCUPIED = """
            select slot_start, block_id from room_slot
             where room_id = ? and slot_start >= ? and slot_start < ? and (hold_expires_at is null or hold_expires_at > ?)""";

    private final DbClient db;

    /**
     * @param db the database
     */
    public JdbcReservationRepository(DbClient db) {
        this.db = db;
    }

    @Override
    public CreateOutcome create(Reservation r, String idempotencyKey, String requestHash,
                                java.util.function.Function<io.helidon.dbclient.DbExecute, Optional<GrantBatch>> grants,
                                java.util.function.Consumer<DbTransaction> before,
                                java.util.function.Consumer<DbTransaction> also) {
        DbTransaction tx = db.transaction();
        try {
            before.accept(tx);
            try {
                ReservationWrites.insert(tx, r, idempotencyKey, requestHash);
            } catch (RuntimeException e) {
                // Quietly: with the connection gone (a failover) the rollback fails too, and the insert's own
                // failure is the one to classify.
                Sql.rollbackQuietly(tx);
                return outcome(e, CreateOutcome.KEY_TAKEN);
            }
            try {
                ReservationWrites.takeSlots(tx, r);
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(tx);
                return outcome(e, CreateOutcome.SLOT_TAKEN);
            }
            grants.apply(tx).ifPresent(batch -> GrantStreamWrites.issue(tx, r.id(), batch, r.createdAt()));
            also.accept(tx);
            tx.commit();
            AfterCommit.run(db);
            return CreateOutcome.CREATED;
        } catch (EquipmentSlots.Collision e) {
            Sql.rollbackQuietly(tx);
            return CreateOutcome.RETRY;
        } catch (RuntimeException e) {
            // commit failed (e.g. serialization failure on PostgreSQL)
            Sql.rollbackQuietly(tx);
            return outcome(e, CreateOutcome.SLOT_TAKEN);
        }
    }

    @Override
    public void makeDurable(UUID reservationId) {
        Sql.inTransaction(db, tx -> tx.update("update reservation set status = status where id = ?", reservationId));
    }

    @Override
    public Optional<Keyed> byIdempotencyKey(UUID accountId, String idempotencyKey) {
        return db.execute().get(BY_KEY, accountId, idempotencyKey)
                .map(row -> new Keyed(map(row), Sql.text(row, "request_hash")));
    }

    @Override
    public Optional<Reservation> find(long municipalityId, UUID id) {
        return db.execute().get(BY_ID, municipalityId, id).map(JdbcReservationRepository::map);
    }

    @Override
    public List<Reservation> byAccount(UUID accountId) {
        return Sql.list(db.execute().query(BY_ACCOUNT, accountId), JdbcReservationRepository::map);
    }

    @Override
    public List<Reservation> upcomingForAccount(UUID accountId, Instant now, int limit, int offset) {
        return Sql.list(db.execute().query(UPCOMING, accountId, Sql.at(now), limit, offset), JdbcReservationRepository::map);
    }

    @Override
    public List<Reservation> pastForAccount(UUID accountId, Instant now, int limit, int offset) {
        return Sql.list(db.execute().query(PAST, accountId, Sql.at(now), limit, offset), JdbcReservationRepository::map);
    }

    @Override
    public int countUpcoming(UUID accountId, Instant now) {
        return db.execute().get(COUNT_UPCOMING, accountId, Sql.at(now)).map(row -> Sql.integer(row, "n")).orElse(0);
    }

    @Override
    public int countPast(UUID accountId, Instant now) {
        return db.execute().get(COUNT_PAST, accountId, Sql.at(now)).map(row -> Sql.integer(row, "n")).orElse(0);
    }

    @Override
    public boolean cancel(UUID id, Instant now, java.util.function.Consumer<DbTransaction> also) {
        return inTransaction(tx -> {
            if (tx.update(CANCEL, Sql.at(now), id) == 0) {
                return false;
            }
            ReservationWrites.release(tx, id);
            GrantStreamWrites.revokeAll(tx, id, now);
            also.accept(tx);
            return true;
        });
    }

    @Override
    public Optional<String> sealedAccessCode(UUID reservationId) {
        return db.execute().get(SEALED_CODE, reservationId)
                .flatMap(row -> Sql.value(row, "access_code_sealed").map(Object::toString));
    }

    @Override
    public int expireOverdueHolds(Instant now, int limit) {
        List<UUID> overdue = Sql.list(db.execute().query(OVERDUE, Sql.at(now), limit), row -> Sql.uuid(row, "id"));
        return expire(overdue, now);
    }

    @Override
    public int expireOverdueHolds(long roomId, SlotRange range, Instant now) {
        List<UUID> overdue = Sql.list(db.execute().query(OVERDUE_IN_RANGE, roomId, Sql.at(range.start()),
                Sql.at(range.end()), Sql.at(now)), row -> Sql.uuid(row, "reservation_id"));
        return expire(overdue, now);
    }

    @Override
    public Optional<String> feeQuote(UUID id) {
        return db.execute().get("select fee_quote from reservation where id = ?", id)
                .flatMap(row -> Sql.optionalText(row, "fee_quote"));
    }

    @Override
    public boolean lapse(UUID id, Instant now) {
        return inTransaction(tx -> {
            if (tx.update("update reservation set status = 'expired', hold_expires_at = ? where id = ? and status = 'held'",
                    Sql.at(now), id) == 0) {
                return false;
            }
            ReservationWrites.lapsed(tx, id, "支払の期限切れ（コンビニ払いの期限）による失効", now);
            return true;
        });
    }

    @Override
    public Map<Instant, Occupant> occupied(long roomId, Instant from, Instant until, Instant now) {
        Map<Instant, Occupant> taken = new HashMap<>();
        try (var rows = db.execute().query(OCCUPIED, roomId, Sql.at(from), Sql.at(until), Sql.at(now))) {
            rows.forEach(row -> taken.put(Sql.instant(row, "slot_start"),
                    Sql.value(row, "block_id").isEmpty() ? Occupant.RESERVATION : Occupant.BLOCK));
        }
        return taken;
    }

    private int expire(List<UUID> overdue, Instant now) {
        int expired = 0;
        for (UUID id : overdue) {
            // Each in its own transaction; the conditional update makes a second instance's sweep a no-op.
            boolean done = inTransaction(tx -> {
                if (tx.update(EXPIRE, id, Sql.at(now)) == 0) {
                    return false;
                }
                ReservationWrites.lapsed(tx, id, "支払期限の経過による失効", now);
                return true;
            });
            if (done) {
                expired++;
            }
        }
        return expired;
    }

    /**
     * Runs work in a transaction, again up to three times when the database reports a deadlock,
     * serialization failure or lock time-out; then answers 409 "busy", never 500.
     */
    private <T> T inTransaction(Function<DbTransaction, T> work) {
        for (int attempt = 1; ; attempt++) {
            DbTransaction tx = db.transaction();
            try {
                T result = work.apply(tx);
                tx.commit();
                AfterCommit.run(db);
                return result;
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(tx);
                if (SqlFailure.of(e) != SqlFailure.TRANSIENT) {
                    throw e;
                }
                if (attempt == 3) {
                    throw Problem.conflict("busy", "The reservation is being changed by others right now. Please try again.",
                            "ただいま処理が混み合っています。もう一度お試しください。");
                }
            }
        }
    }

    private static CreateOutcome outcome(RuntimeException e, CreateOutcome onUniqueViolation) {
        return switch (SqlFailure.of(e)) {
            case UNIQUE_VIOLATION -> onUniqueViolation;
            case TRANSIENT -> CreateOutcome.RETRY;
            case CONNECTION, OTHER -> throw e;
        };
    }


    private static Reservation map(DbRow row) {
        return new Reservation(Sql.uuid(row, "id"), Sql.longValue(row, "municipality_id"),
                Sql.longValue(row, "room_id"), Sql.uuid(row, "account_id"),
                ReservationStatus.of(Sql.text(row, "status")),
                new SlotRange(Sql.instant(row, "starts_at"), Sql.instant(row, "ends_at")),
                Sql.text(row, "purpose"), Sql.integer(row, "attendees"), Sql.integer(row, "amount"),
                Sql.optionalInstant(row, "hold_expires_at"), Sql.instant(row, "created_at"));
    }
}
