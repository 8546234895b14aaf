package jp.kominkan.cloud.lottery;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.LotteryBookings;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * After the draw (当選確定と繰り上げ): winners confirm (free rooms) or pay, or decline; a win that lapses or is declined
 * goes to the next substitute able to take it, with e-mail; at the first-come opening what is left is released.
 * The timer's {@link #sweep} also freezes rounds whose window has ended. Each step is a conditional write in its own
 * transaction holding the round's row, so a second instance's sweep does nothing twice.
 */
public final class AfterDraw {

    private static final System.Logger LOG = System.getLogger(AfterDraw.class.getName());
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("M月d日 H:mm");
    /** How long before the first-come opening leftovers are released: more than the sweep's interval (30 s). */
    static final Duration RELEASE_LEAD = Duration.ofMinutes(2);

    private final LotteryRepository repository;
    private final WinRepository outcomes;
    private final Drawing drawing;
    private final Rounds rounds;
    private final BookingService bookings;
    private final LotteryBookings lotteryBookings;
    private final Municipalities municipalities;
    private final MailOutbox outbox;
    private final ResultMail resultMail;
    private final Duration promotionWindow;
    private final Clock clock;

    /**
     * @param repository      the lottery's tables
     * @param outcomes   wins, substitutes and whom to tell
     * @param drawing         the close, and placing wins
     * @param rounds          releasing units
     * @param bookings        confirming and cancelling wins' reservations
     * @param lotteryBookings holding units again
     * @param municipalities  municipalities
     * @param outbox          mail
     * @param resultMail      tells applicants their results after the draw
     * @param promotionWindow how long a promoted substitute has to confirm and pay
     * @param clock           the clock
     */
    public AfterDraw(LotteryRepository repository, WinRepository outcomes, Drawing drawing, Rounds rounds,
                     BookingService bookings, LotteryBookings lotteryBookings, Municipalities municipalities,
                     MailOutbox outbox, ResultMail resultMail, Duration promotionWindow, Clock clock) {
        this.repository = repository;
        this.outcomes = outcomes;
        this.drawing = drawing;
        this.rounds = rounds;
        this.bookings = bookings;
        this.lotteryBookings = lotteryBookings;
        this.municipalities = municipalities;
        this.outbox = outbox;
        this.resultMail = resultMail;
        this.promotionWindow = promotionWindow;
        this.clock = clock;
    }

    /**
     * One pass of the lottery's timer: freeze rounds due, tell applicants drawn results, pass lapsed wins on,
     * release leftovers due.
     *
     * @return how many things it did
     */
    public int sweep() {
        // Each step on its own: one that fails (a database hiccup, a room that cannot be priced) must not hold up
        // the others, in this municipality or another.
        return step("freeze", drawing::freezeDue) + step("results mail", resultMail::sendDue)
                + step("lapses", this::settleLapses) + step("first-come release", this::releaseDue);
    }

    private static int step(String name, java.util.function.IntSupplier work) {
        try {
            return work.getAsInt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Lottery sweep: " + name + " failed; will try again: " + e.getMessage());
            return 0;
        }
    }

    /**
     * Confirms a won wish of a free room (当選確定); a room with a fee is confirmed by paying it.
     *
     * @param town     where
     * @param account  who
     * @param publicId which application
     * @return the reservation as it is now
     */
    public Reservation confirm(Municipality town, Account account, String publicId) {
        WinRepository.StoredWin win = ownWin(town, account, publicId);
        Reservation reservation = bookings.visibleTo(town, account, win.reservationId());
        Instant now = clock.instant();
        if (reservation.statusAt(now) == ReservationStatus.CONFIRMED) {
            return reservation;
        }
        if (reservation.statusAt(now) != ReservationStatus.HELD) {
            throw Problem.conflict("win-lapsed", "This win was not confirmed in time, or was declined.",
                    "この当選は期限切れか辞退済みです。");
        }
        if (reservation.amount() > 0) {
            throw Problem.conflict("pay-to-confirm", "Pay the fee to confirm this win: /reservations/"
                            + reservation.id() + "/payment",
                    "この当選は使用料のお支払いで確定します。予約の詳細からお支払いください。");
        }
        boolean confirmed = Sql.inTransaction(repository.db(), tx -> bookings.confirmFree(tx, town, reservation, now));
        if (!confirmed) {
            throw Problem.conflict("win-lapsed", "This win lapsed a moment ago.", "この当選は期限切れになりました。");
        }
        return bookings.visibleTo(town, account, reservation.id());
    }

    /**
     * Declines a win (当選の辞退): its reservation is cancelled and the next substitute is offered it.
     *
     * @param town     where
     * @param account  who
     * @param publicId which application
     */
    public void decline(Municipality town, Account account, String publicId) {
        WinRepository.StoredWin win = ownWin(town, account, publicId);
        bookings.cancel(town, account, win.reservationId());
        settleLapses();
    }

    private WinRepository.StoredWin ownWin(Municipality town, Account account, String publicId) {
        LotteryRepository.Stored application = repository.ownApplication(town.id(), account.id(), publicId)
                .orElseThrow(() -> Problem.notFound("lottery application", "抽選の申込"));
        return outcomes.winOf(repository.db().execute(), application.id())
                .orElseThrow(() -> Problem.notFound("lottery win", "当選"));
    }

    /**
     * Passes on every win whose reservation lapsed or was cancelled: back to the lottery, then to the first
     * substitute able to take it, while the round is before its first-come opening.
     *
     * @return how many wins were settled
     */
    int settleLapses() {
        int settled = 0;
        for (WinRepository.StoredWin win : outcomes.unsettledLapses()) {
            Instant now = clock.instant();
            try {
                if (Sql.inTransaction(repository.db(), tx -> settle(tx, win, now))) {
                    settled++;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Lottery: lapsed win " + win.id() + " could not be passed on yet: "
                        + e.getMessage());
            }
        }
        return settled;
    }

    private boolean settle(DbTransaction tx, WinRepository.StoredWin win, Instant now) {
        Round round = repository.lock(tx, win.roundId()).orElseThrow();
        if (!outcomes.settle(tx, win.id(), now)) {
            return false;
        }
        if (round.status() != RoundStatus.PUBLISHED || !now.isBefore(round.schedule().firstComeAt())) {
            return true; // after the first-come opening the units are simply free
        }
        Municipality town = municipalities.byId(round.municipalityId()).orElseThrow();
        Map<Long, Unit> units = repository.units(tx, round.id()).stream()
                .collect(Collectors.toMap(Unit::id, Function.identity()));
        List<Long> freed = repository.wishesOf(tx, win.applicationId()).get(win.rank() - 1);
        UUID series = UUID.randomUUID();
        for (long unitId : freed) {
            Unit unit = units.get(unitId);
            if (unit.blockId().isEmpty() && !repository.slotsTaken(tx, unit.roomId(), unit.range())) {
                long block = lotteryBookings.holdUnit(tx, round.municipalityId(), unit.roomId(), unit.range(),
                        "抽選: " + round.name(), series);
                repository.setBlock(tx, unitId, Optional.of(block));
                units.put(unitId, new Unit(unit.id(), unit.roundId(), unit.roomId(), unit.range(), unit.label(),
                        Optional.of(block)));
            }
        }
        promote(tx, town, round, units, new LinkedHashSet<>(freed), now);
        return true;
    }

    private void promote(DbTransaction tx, Municipality town, Round round, Map<Long, Unit> units, Set<Long> freed,
                         Instant now) {
        Map<Long, LotteryRepository.Stored> applications = null;
        for (WinRepository.InLine candidate : outcomes.substitutesFor(tx, List.copyOf(freed))) {
            if (freed.stream().noneMatch(u -> units.get(u).blockId().isPresent())) {
                return;
            }
            if (outcomes.winOf(tx, candidate.applicationId()).isPresent()) {
                continue;
            }
            List<List<Long>> wishes = repository.wishesOf(tx, candidate.applicationId());
            List<Unit> wish = wishes.get(candidate.rank() - 1).stream().map(units::get).toList();
            if (wish.stream().anyMatch(u -> u.blockId().isEmpty())) {
                continue; // part of the set went to someone else
            }
            if (applications == null) {
                applications = repository.applications(tx, round.id()).stream()
                        .collect(Collectors.toMap(LotteryRepository.Stored::id, Function.identity()));
            }
            LotteryRepository.Stored application = applications.get(candidate.applicationId());
            if (outcomes.activeWinsOfPerson(tx, round.id(), application.personKey()) >= round.rules().winsPerPerson()
                    || application.groupId().filter(g -> outcomes.activeWinsOfGroup(tx, round.id(), g)
                    >= round.rules().winsPerGroup()).isPresent()) {
                continue;
            }
            Instant deadline = now.plus(promotionWindow);
            Instant start = wish.get(0).range().start();
            for (Instant limit : List.of(round.schedule().firstComeAt(), start)) {
                deadline = deadline.isAfter(limit) ? limit : deadline;
            }
            if (deadline.isBefore(now.plus(Duration.ofHours(1)))) {
                return; // too late to ask anyone to confirm: the units go first-come at the opening
            }
            if (!outcomes.live(tx, application.id())) {
                continue; // the account was deleted: the next substitute
            }
            Reservation reservation;
            try {
                reservation = drawing.placeUntil(tx, town, application, wish, new HashMap<>(), deadline, now);
            } catch (jp.kominkan.cloud.web.Problem unpriced) {
                LOG.log(Level.WARNING, "Lottery: substitute " + application.publicId() + " passed over, the wish cannot"
                        + " be priced: " + unpriced.getMessage());
                continue; // priced before anything was written
            }
            outcomes.insertWin(tx, round.id(), application.id(), candidate.rank(), reservation.id(), "substitute",
                    Optional.empty(), now);
            for (Unit unit : wish) {
                units.put(unit.id(), new Unit(unit.id(), unit.roundId(), unit.roomId(), unit.range(), unit.label(),
                        Optional.empty()));
            }
            tell(tx, town, round, application, wish, deadline, now);
        }
    }

    private void tell(DbTransaction tx, Municipality town, Round round, LotteryRepository.Stored application,
                      List<Unit> wish, Instant deadline, Instant now) {
        Optional<WinRepository.Recipient> recipient = outcomes.recipient(tx, application.id());
        if (recipient.isEmpty()) {
            return;
        }
        WinRepository.Recipient to = recipient.get();
        outbox.enqueue(tx, town.id(), "lottery-promoted", new Mailer.Mail(to.email(), "【繰り上げ当選】" + round.name(),
                to.name() + " 様\n\n" + round.name() + " で、補欠から繰り上げ当選となりました。\n\n申込番号: "
                        + application.publicId() + "\n" + Drawing.labels(wish) + "\n当選確定（お支払い）の期限: "
                        + WHEN.withZone(town.zone()).format(deadline) + "\n\n期限までにマイページの「抽選の申込」から確定して"
                        + "ください。\n\n" + town.name() + " 施設予約"), now);
    }

    /**
     * Releases the leftovers of every published round whose first-come opening (第2次受付の開始) comes within
     * {@link #RELEASE_LEAD}.
     *
     * @return how many rounds were finished
     */
    int releaseDue() {
        int finished = 0;
        // A round never drawn by its first-come opening is called off, its units released: they must not stay
        // the lottery's for ever.
        for (long id : repository.due("closed", "first_come_at", clock.instant())) {
            Boolean done = Sql.inTransaction(repository.db(), tx -> {
                Round round = repository.lock(tx, id).orElseThrow();
                if (round.status() != RoundStatus.CLOSED || clock.instant().isBefore(round.schedule().firstComeAt())) {
                    return false;
                }
                rounds.releaseUnits(tx, id);
                return repository.setStatus(tx, id, RoundStatus.CLOSED, RoundStatus.CANCELLED);
            });
            if (done) {
                LOG.log(Level.WARNING, "Lottery round " + id + " was not drawn by its first-come opening: called off");
                finished++;
            }
        }
        // Released a little before the opening: the booking rule refuses first-come bookings until the very minute,
        // and then they find the units already free, not still blocked until the next sweep.
        for (long id : repository.due("published", "first_come_at", clock.instant().plus(RELEASE_LEAD))) {
            Boolean done = Sql.inTransaction(repository.db(), tx -> {
                Round round = repository.lock(tx, id).orElseThrow();
                if (round.status() != RoundStatus.PUBLISHED
                        || clock.instant().plus(RELEASE_LEAD).isBefore(round.schedule().firstComeAt())) {
                    return false;
                }
                rounds.releaseUnits(tx, id);
                return repository.setStatus(tx, id, RoundStatus.PUBLISHED, RoundStatus.FINISHED);
            });
            if (done) {
                finished++;
            }
        }
        return finished;
    }
}
