package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.grant.GrantBatch;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Where reservations and the slots they take are kept. The implementation must write a
 * reservation and its slots in one transaction under a key that lets only one taker hold a slot.
 */
public interface ReservationRepository {

    /**
     * Stores a reservation and takes its slots, all or nothing.
     *
     * @param reservation    the reservation
     * @param idempotencyKey the client's key
     * @param requestHash    a hash of the request, to tell a replay from a different request
     * @param grants         the door grants of a booking confirmed at once, asked for, on the transaction, only once
     *                       the slots are taken, and written in the same transaction
     * @return what happened
     */
    default CreateOutcome create(Reservation reservation, String idempotencyKey, String requestHash,
                                 java.util.function.Function<io.helidon.dbclient.DbExecute, Optional<GrantBatch>> grants) {
        return create(reservation, idempotencyKey, requestHash, grants, tx -> { }, tx -> { });
    }

    /**
     * Like {@link #create(Reservation, String, String, java.util.function.Function)}, with more work in the same transaction
     * (a counter booking's staff column and its operation log entry).
     *
     * @param reservation    the reservation
     * @param idempotencyKey the client's key
     * @param requestHash    a hash of the request
     * @param grants         the door grants of a booking confirmed at once, asked for once the slots are taken
     * @param before         more work, run before the reservation is inserted (a walk-in's account)
     * @param after          more work, run after the slots are taken and before the commit
     * @return what happened
     */
    CreateOutcome create(Reservation reservation, String idempotencyKey, String requestHash,
                         java.util.function.Function<io.helidon.dbclient.DbExecute, Optional<GrantBatch>> grants, java.util.function.Consumer<io.helidon.dbclient.DbTransaction> before,
                         java.util.function.Consumer<io.helidon.dbclient.DbTransaction> after);

    /**
     * @param accountId      the account
     * @param idempotencyKey the client's key
     * @return the reservation made earlier with this key, and its request hash
     */
    Optional<Keyed> byIdempotencyKey(UUID accountId, String idempotencyKey);

    /**
     * Makes sure a reservation read back after an interrupted commit is durable, not only committed on a node that
     * is about to lose its place: a write to its row, committed, waits (on PostgreSQL with synchronous replication)
     * until the standby holds the WAL up to it, which includes the reservation's own commit (docs/deploy.md).
     *
     * @param reservationId the reservation
     * @throws RuntimeException a {@code SqlFailure.CONNECTION} failure when that cannot be known now
     */
    void makeDurable(UUID reservationId);

    /**
     * @param municipalityId the municipality
     * @param id             the reservation
     * @return the reservation, if it is this municipality's
     */
    Optional<Reservation> find(long municipalityId, UUID id);

    /**
     * @param accountId the account
     * @return its reservations, latest start first
     */
    List<Reservation> byAccount(UUID accountId);

    /**
     * One page of the account's bookings that have not ended (any status), soonest first; ties by id, so pages
     * never overlap.
     *
     * @param accountId the account
     * @param now       now: a booking whose end is after it has not ended
     * @param limit     most to return
     * @param offset    how many to skip
     * @return the page
     */
    List<Reservation> upcomingForAccount(UUID accountId, Instant now, int limit, int offset);

    /**
     * One page of the account's bookings that have ended (any status), the latest first.
     *
     * @param accountId the account
     * @param now       now: a booking whose end is at or before it has ended
     * @param limit     most to return
     * @param offset    how many to skip
     * @return the page
     */
    List<Reservation> pastForAccount(UUID accountId, Instant now, int limit, int offset);

    /**
     * @param accountId the account
     * @param now       now
     * @return how many of its bookings have not ended
     */
    int countUpcoming(UUID accountId, Instant now);

    /**
     * @param accountId the account
     * @param now       now
     * @return how many of its bookings have ended
     */
    int countPast(UUID accountId, Instant now);

    /**
     * @param reservationId a reservation
     * @return its booking code, sealed, while it has one
     */
    Optional<String> sealedAccessCode(UUID reservationId);

    /**
     * Cancels a held or confirmed reservation, frees its slots and revokes its grants.
     *
     * @param id  the reservation
     * @param now now
     * @return false when it was neither held nor confirmed
     */
    default boolean cancel(UUID id, Instant now) {
        return cancel(id, now, tx -> { });
    }

    /**
     * Cancels, with more work in the same transaction (the ledger's entries and refunds).
     *
     * @param id   which
     * @param now  when
     * @param also more work before the commit
     * @return false when it was not held or confirmed
     */
    boolean cancel(UUID id, Instant now, java.util.function.Consumer<io.helidon.dbclient.DbTransaction> also);

    /**
     * Expires holds past their deadline and frees their slots.
     *
     * @param now   now
     * @param limit most to expire in one go
     * @return how many expired
     */
    int expireOverdueHolds(Instant now, int limit);

    /**
     * Expires the overdue holds that take any slot of a range, so that a booking can have it.
     *
     * @param roomId the room
     * @param range  the slots wanted
     * @param now    now
     * @return how many expired
     */
    int expireOverdueHolds(long roomId, SlotRange range, Instant now);

    /**
     * @param roomId the room
     * @param from   first slot
     * @param until  end of the last slot
     * @param now    now, to ignore overdue holds
     * @return the taken slots in the range and what took each
     */
    Map<Instant, Occupant> occupied(long roomId, Instant from, Instant until, Instant now);

    /** The result of {@link #create}. */
    enum CreateOutcome {
        /** Stored. */
        CREATED,
        /** Another reservation or a block holds one of the slots. */
        SLOT_TAKEN,
        /** The account already used this idempotency key. */
        KEY_TAKEN,
        /** The database asked to try again (deadlock, serialization, lock time-out). */
        RETRY
    }

    /** What takes a slot. */
    enum Occupant {
        /** A held or confirmed reservation. */
        RESERVATION,
        /** Maintenance or city use. */
        BLOCK
    }

    /**
     * A reservation with the hash of the request that made it.
     *
     * @param reservation the reservation
     * @param requestHash the hash
     */
    record Keyed(Reservation reservation, String requestHash) {
    }

    /**
     * Lets a held reservation lapse now, freeing its slots: its payment was given up.
     *
     * @param id  the reservation
     * @param now when
     * @return false when it was not held
     */
    boolean lapse(UUID id, Instant now);

    /**
     * @param id the reservation
     * @return its fee as frozen (JSON of a {@code fee.Quote}), for bookings made since fees were itemised
     */
    Optional<String> feeQuote(UUID id);
}
