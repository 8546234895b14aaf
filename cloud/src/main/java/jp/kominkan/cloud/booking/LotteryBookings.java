package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * What the lottery writes through booking, in the lottery's own transactions: a unit held by a lottery block
 * until it is drawn, and a won wish as a reservation held until its winner confirms and pays (当選確定). Booking
 * keeps owning room_slot, room_block and reservation; the database's slot key still decides every slot.
 */
public final class LotteryBookings {

    private final BookingFees fees;

    /**
     * @param bookings the booking service, for its fee side
     */
    public LotteryBookings(BookingService bookings) {
        this.fees = bookings.fees();
    }

    /**
     * Holds a unit for the lottery.
     *
     * @param tx             the round's transaction
     * @param municipalityId the municipality
     * @param roomId         the room
     * @param range          the unit's time
     * @param note           shown on the staff calendar
     * @param series         the round's block series
     * @return the block's id
     * @throws RuntimeException a unique violation when a slot is taken
     */
    public long holdUnit(DbTransaction tx, long municipalityId, long roomId, SlotRange range, String note, UUID series) {
        return BlockWrites.insert(tx, municipalityId, roomId, range, "lottery", note, series, Optional.empty());
    }

    /**
     * Frees many units the lottery held, in a few statements.
     *
     * @param tx       the transaction
     * @param blockIds the units' blocks
     */
    public void releaseUnits(DbTransaction tx, java.util.List<Long> blockIds) {
        BlockWrites.removeAll(tx, blockIds);
    }

    /**
     * A won wish priced, before anything is written.
     *
     * @param room    the room
     * @param request the wish as a booking request
     * @param priced  its fee
     */
    public record PricedWin(Room room, BookingRequest request, BookingFees.Priced priced) {
    }

    /**
     * Prices a won wish as if its winner booked it now; a group whose approval has lapsed since the application is
     * priced as its representative's own use. Reads only, so a refusal leaves the caller's transaction as it was.
     *
     * @param account   the winner, with the residency judged at application
     * @param room      the room
     * @param range     the wish's time
     * @param purpose   the purpose applied with
     * @param attendees how many applied to come
     * @param groupId   the group applied for
     * @param now       now
     * @return the priced win
     * @throws Problem when the room's fee schedule cannot price it
     */
    public PricedWin price(Account account, Room room, SlotRange range, String purpose, int attendees,
                           Optional<Long> groupId, Instant now) {
        BookingRequest request = new BookingRequest(room.id(), range, purpose, attendees, options(groupId));
        try {
            return new PricedWin(room, request, fees.price(room, account, request, now));
        } catch (Problem groupRefused) {
            if (groupId.isEmpty()) {
                throw groupRefused;
            }
            request = new BookingRequest(room.id(), range, purpose, attendees, BookingRequest.FeeOptions.NONE);
            return new PricedWin(room, request, fees.price(room, account, request, now));
        }
    }

    /**
     * Books a priced win as a reservation held until its winner confirms and pays.
     *
     * @param tx       the draw's (or promotion's) transaction; the units' blocks already released
     * @param account  the winner
     * @param win      the priced win
     * @param deadline when the win lapses unless confirmed and paid
     * @param key      a key unique to the win, used as the reservation's idempotency key
     * @param now      now
     * @return the reservation
     */
    public Reservation placeWin(DbTransaction tx, Account account, PricedWin win, Instant deadline, String key,
                                Instant now) {
        Reservation reservation = new Reservation(UUID.randomUUID(), win.room().municipalityId(), win.room().id(),
                account.id(), ReservationStatus.HELD, win.request().range(), win.request().purpose(),
                win.request().attendees(), Math.toIntExact(win.priced().quote().total()), Optional.of(deadline), now);
        ReservationWrites.insert(tx, reservation, key, win.request().fingerprint());
        ReservationWrites.takeSlots(tx, reservation);
        BookingFees.write(tx, reservation, win.request(), win.priced(), now);
        return reservation;
    }

    private static BookingRequest.FeeOptions options(Optional<Long> groupId) {
        return new BookingRequest.FeeOptions(0, false, false, Map.of(), groupId, Optional.empty(), "");
    }
}
