package jp.kominkan.cloud.waitlist;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.booking.BookingRequest;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationRepository;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.fairness.BookingWindow;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The waiting list (キャンセル待ち): a resident joins for a taken range of a room; when the range is free again —
 * whatever freed it: a cancellation, a hold that lapsed, a lottery win not confirmed — the first in line is offered
 * it as a hold in their name with a deadline, and told by e-mail through the outbox; if they neither confirm nor pay
 * by then it lapses and the next in line is offered it. Found by a sweep on a timer, and nudged right after a
 * resident's cancellation; the hold is made through the normal booking path, so double booking, windows and quotas
 * stay the database's and the rules' business.
 */
public final class Waitlist {

    private static final System.Logger LOG = System.getLogger(Waitlist.class.getName());
    private static final int BATCH = 200;

    private final DbClient db;
    private final WaitlistRepository repository;
    private final BookingService bookings;
    private final AccountService accounts;
    private final FacilityRepository facilities;
    private final Municipalities towns;
    private final MailOutbox outbox;
    private final Clock clock;
    private final Duration holdFor;

    /**
     * @param db         the database
     * @param bookings   holds are made and confirmed here
     * @param accounts   who is offered a hold
     * @param facilities rooms
     * @param towns      municipalities
     * @param outbox     the mail outbox
     * @param clock      the clock
     * @param holdFor    how long an offered hold waits for its confirmation
     */
    public Waitlist(DbClient db, BookingService bookings, AccountService accounts, FacilityRepository facilities,
                    Municipalities towns, MailOutbox outbox, Clock clock, Duration holdFor) {
        this.db = db;
        this.repository = new WaitlistRepository(db);
        this.bookings = bookings;
        this.accounts = accounts;
        this.facilities = facilities;
        this.towns = towns;
        this.outbox = outbox;
        this.clock = clock;
        this.holdFor = holdFor;
        bookings.freed().listen(roomId -> Thread.ofVirtual().name("waitlist-nudge").start(() -> sweepQuietly(
                Optional.of(roomId))));
    }

    /**
     * An entry with where it stands.
     *
     * @param entry    the entry
     * @param position 1 for the first in line
     * @param offer    the hold offered, while it is one
     */
    public record Standing(WaitlistEntry entry, long position, Optional<Reservation> offer) {
    }

    /**
     * Joins the line for a taken range.
     *
     * @param town    where
     * @param account who
     * @param request the room, range and use
     * @return the entry and where it stands
     * @throws Problem 409 when the range is free (book it), blocked, already waited for, or five are waited for
     */
    public Standing join(Municipality town, Account account, BookingRequest request) {
        Room room = facilities.room(town.id(), request.roomId()).filter(Room::published)
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        bookings.quote(town, account, request); // the same rules as a booking: hours, window, capacity, quotas
        Optional<ReservationRepository.Occupant> taken = bookings.occupant(town, room.id(), request.range());
        if (taken.isEmpty()) {
            throw Problem.conflict("slot-free", "This time is free: book it instead.",
                    "この時間は空いています。キャンセル待ちではなく、そのまま予約してください。");
        }
        if (taken.get() == ReservationRepository.Occupant.BLOCK) {
            throw Problem.conflict("slot-blocked", "The room is reserved for maintenance or city use at that time.",
                    "その時間は点検・市の使用のため、キャンセル待ちもできません。");
        }
        WaitlistEntry entry = new WaitlistEntry(UUID.randomUUID(), town.id(), room.id(), account.id(), request.range(),
                request.purpose(), request.attendees(), Optional.empty(), now);
        repository.join(entry);
        return standing(town, entry);
    }

    /**
     * @param town    where
     * @param account whose
     * @return their entries, by start
     */
    public List<Standing> mine(Municipality town, Account account) {
        return repository.mine(account.id()).stream().map(e -> standing(town, e)).toList();
    }

    /**
     * @param town    where
     * @param account who asks
     * @param id      which
     * @return it, when it is theirs (404 otherwise, as for an entry that does not exist)
     */
    public Standing one(Municipality town, Account account, UUID id) {
        return repository.one(id, account.id()).map(e -> standing(town, e))
                .orElseThrow(() -> Problem.notFound("waiting-list entry", "キャンセル待ち"));
    }

    /**
     * Leaves the line; an offered hold not yet confirmed is let go too, for the next in line.
     *
     * @param town    where
     * @param account who
     * @param id      which
     */
    public void leave(Municipality town, Account account, UUID id) {
        Standing standing = one(town, account, id);
        if (repository.leave(id, account.id())) {
            standing.offer().filter(r -> r.status() == ReservationStatus.HELD)
                    .ifPresent(r -> bookings.cancel(town, account, r.id()));
        }
    }

    /**
     * Accepts an offered hold of a free room (a paid one is accepted by paying it).
     *
     * @param town    where
     * @param account who
     * @param id      which entry
     * @return the reservation, confirmed
     */
    public Reservation accept(Municipality town, Account account, UUID id) {
        Reservation hold = one(town, account, id).offer()
                .orElseThrow(() -> Problem.conflict("not-offered", "Nothing has been offered for this entry yet.",
                        "このキャンセル待ちにはまだ空きのご案内がありません。"));
        if (hold.amount() > 0) {
            throw Problem.conflict("payment-required", "Pay the held booking to accept it.",
                    "仮予約のお支払いをもって確定となります。お支払い画面へお進みください。");
        }
        boolean confirmed = Sql.inTransaction(db, tx -> bookings.confirmFree(tx, town, hold, clock.instant()));
        if (!confirmed) {
            throw Problem.conflict("offer-lapsed", "The offer has lapsed.", "ご案内の期限が過ぎました。");
        }
        sweep(Optional.of(hold.roomId()));
        return bookings.reservation(town, hold.id());
    }

    /** The timer's sweep over every room. */
    public void sweep() {
        sweepQuietly(Optional.empty());
    }

    private void sweepQuietly(Optional<Long> roomId) {
        try {
            sweep(roomId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Waiting-list sweep failed; the timer tries again: " + e.getMessage());
        }
    }

    /**
     * Settles finished offers, then offers every freed range to the first in line.
     *
     * @param roomId one room (a nudge), or all
     * @return how many were offered a hold
     */
    synchronized int sweep(Optional<Long> roomId) {
        Instant now = clock.instant();
        repository.settle(now);
        int offered = 0;
        for (WaitlistEntry entry : repository.waiting(roomId, now, BATCH)) {
            if (offer(entry)) {
                offered++;
            }
        }
        return offered;
    }

    private boolean offer(WaitlistEntry entry) {
        Optional<Room> room = facilities.room(entry.townId(), entry.roomId());
        Optional<Municipality> town = towns.byId(entry.townId());
        Optional<Account> account = accounts.find(entry.accountId());
        if (town.isEmpty() || account.isEmpty() || bookings.occupant(town.get(), entry.roomId(), entry.range()).isPresent()) {
            return false;
        }
        Instant now = clock.instant();
        Instant deadline = now.plus(holdFor).isAfter(entry.range().start()) ? entry.range().start() : now.plus(holdFor);
        try {
            bookings.offerHold(town.get(), account.get(), new BookingRequest(entry.roomId(), entry.range(),
                    entry.purpose(), entry.attendees()), "waitlist-" + entry.id(), deadline, tx -> {
                        UUID held = tx.get("select id from reservation where account_id = ? and idempotency_key = ?",
                                entry.accountId(), "waitlist-" + entry.id()).map(row -> Sql.uuid(row, "id")).orElseThrow();
                        WaitlistRepository.markOffered(tx, entry.id(), held);
                        account.get().email().ifPresent(to -> outbox.enqueue(tx, town.get().id(), "waitlist-offer",
                                mail(to, room.get(), entry.range(), deadline), now));
                    });
            return true;
        } catch (Problem refused) {
            LOG.log(Level.DEBUG, "Waiting-list entry not offered now: " + refused.code());
            return false;
        }
    }

    private static Mailer.Mail mail(String to, Room room, SlotRange range, Instant deadline) {
        String when = BookingWindow.format(range.start(), room.zone()) + "〜"
                + range.end().atZone(room.zone()).toLocalTime();
        return new Mailer.Mail(to, "【キャンセル待ち】空きが出ました：" + room.name(),
                "キャンセル待ちに登録されていた " + room.name() + " の " + when + " に空きが出ました。\n"
                        + "あなたのお名前で仮予約しています。" + BookingWindow.format(deadline, room.zone())
                        + " までに、予約サイトのキャンセル待ちのページ（/waitlist）から確定（有料の部屋はお支払い）をしてください。\n"
                        + "期限を過ぎると、次にお待ちの方にご案内します。\n");
    }

    private Standing standing(Municipality town, WaitlistEntry e) {
        return new Standing(e, repository.position(e), e.offer().flatMap(id -> {
            try {
                return Optional.of(bookings.reservation(town, id));
            } catch (Problem gone) {
                return Optional.empty();
            }
        }));
    }
}
