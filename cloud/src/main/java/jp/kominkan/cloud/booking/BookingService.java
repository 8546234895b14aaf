package jp.kominkan.cloud.booking;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.fairness.Booker;
import jp.kominkan.cloud.fairness.FacilityRules;
import jp.kominkan.cloud.fairness.FairBooking;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.grant.CodeSealer;
import jp.kominkan.cloud.grant.Door;
import jp.kominkan.cloud.grant.DoorRepository;
import jp.kominkan.cloud.grant.GrantBatch;
import jp.kominkan.cloud.grant.GrantIssuer;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.grant.BookingCode;
import jp.kominkan.shared.slot.SlotRange;
import jp.kominkan.shared.slot.Slots;

/**
 * Books rooms: checks a request against the room's rules, prices it, and lets the database decide
 * who gets a slot. Also cancels, confirms cash payments and reports availability.
 */
public final class BookingService {

    private static final System.Logger LOG = System.getLogger(BookingService.class.getName());

    /** Longest single booking: one day. Longer use is booked day by day. */
    public static final int MAX_SLOTS = Slots.PER_DAY;
    /** Most days of availability in one request. */
    public static final int MAX_AVAILABILITY_DAYS = 62;
    /** Attempts when the database reports a transient conflict or equipment taken meanwhile (each loss means
     * another booking won a piece, so a stock of N settles within N + 1 attempts). */
    private static final int ATTEMPTS = 12;

    private final ReservationRepository reservations;
    private final FacilityRepository facilities;
    private final GrantIssuer grants;
    private final DoorRepository doors;
    private final CodeSealer sealer;
    private final Clock clock;
    private final BookingFees fees;
    private final CancellationMoney money;
    private final LotteryPeriods lotteries;
    private final FairBooking fair;
    private final FreedSlots freed = new FreedSlots();

    /**
     * @param reservations where reservations live
     * @param facilities   where rooms live
     * @param grants       prepares door grants for confirmed bookings
     * @param doors        where doors live
     * @param sealer       opens stored booking codes
     * @param clock        the clock
     * @param fees         prices bookings and sets their payment deadline
     * @param money        cancellation fees and refunds
     * @param lotteries    times held for a lottery until first-come booking opens
     * @param fair         booking windows by who books, and quotas
     */
    public BookingService(ReservationRepository reservations, FacilityRepository facilities, GrantIssuer grants,
                          DoorRepository doors, CodeSealer sealer, Clock clock, BookingFees fees,
                          CancellationMoney money, LotteryPeriods lotteries, FairBooking fair) {
        this.reservations = reservations;
        this.facilities = facilities;
        this.grants = grants;
        this.doors = doors;
        this.sealer = sealer;
        this.clock = clock;
        this.fees = fees;
        this.money = money;
        this.lotteries = lotteries;
        this.fair = java.util.Objects.requireNonNull(fair, "fair");
    }

    /**
     * Books a room, once per idempotency key.
     *
     * @param municipality   where
     * @param account        who
     * @param request        what
     * @param idempotencyKey the client's key for this booking
     * @return the reservation, and whether it was made now or earlier with the same key
     */
    public Booked book(Municipality municipality, Account account, BookingRequest request, String idempotencyKey) {
        return place(municipality, account, request, idempotencyKey, Optional.empty());
    }

    /**
     * Offers a freed range to someone waiting for it (キャンセル待ち): a hold in their name until the deadline, made
     * through the same path as their own booking (the database still refuses double booking; their window and quotas
     * apply), with more work in its transaction.
     *
     * @param municipality   where
     * @param account        who is offered it
     * @param request        the range and use they asked for
     * @param idempotencyKey one key per offer, so a sweep run twice makes one hold
     * @param deadline       when the hold lapses unless confirmed or paid
     * @param also           more work in the hold's transaction (the entry marked offered, the mail)
     * @return the hold
     * @throws Problem when a rule refuses it or the range is taken again
     */
    public Booked offerHold(Municipality municipality, Account account, BookingRequest request, String idempotencyKey,
                            Instant deadline, java.util.function.Consumer<io.helidon.dbclient.DbTransaction> also) {
        return place(municipality, account, request, idempotencyKey, Optional.of(new Offer(deadline, also)));
    }

    /** A hold offered from the waiting list: its deadline and the work that goes with it. */
    private record Offer(Instant deadline, java.util.function.Consumer<io.helidon.dbclient.DbTransaction> also) {
    }

    private Booked place(Municipality municipality, Account account, BookingRequest request, String idempotencyKey,
                         Optional<Offer> offer) {
        String fingerprint = request.fingerprint();
        // On the happy path a retry is recognised by the unique (account, key) constraint (KEY_TAKEN
        // below), which saves a query per booking; a request the rules refuse is checked for a replay
        // first, since the rules may have changed since (the start has passed, say).
        Room room;
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS); // whole seconds read back alike everywhere
        Booker booker = Booker.of(account, request.fee().groupId());
        FacilityRules rules;
        try {
            room = facilities.room(municipality.id(), request.roomId()).filter(Room::published)
                    .orElseThrow(() -> Problem.notFound("room", "部屋"));
            rules = fair.rules(room.facilityId());
            checkRules(room, request, now, rules, booker.tier());
        } catch (Problem refused) {
            return replay(account, idempotencyKey, fingerprint).orElseThrow(() -> refused);
        }
        BookingFees.Priced priced = fees.price(room, account, request, now);
        Reservation made = reservationFor(room, account, request, priced, now);
        Reservation reservation = offer.map(o -> new Reservation(made.id(), made.municipalityId(), made.roomId(),
                made.accountId(), ReservationStatus.HELD, made.range(), made.purpose(), made.attendees(), made.amount(),
                Optional.of(o.deadline().truncatedTo(ChronoUnit.SECONDS)), made.createdAt())).orElse(made);
        LazyGrants doorGrants = reservation.status() == ReservationStatus.CONFIRMED
                ? LazyGrants.of(in -> grantsFor(in, municipality, reservation, room, now)) : LazyGrants.none();
        // Quota places are taken in the booking's transaction, the booker's row locked first (docs/booking-rules.md).
        FairBooking.Steps quota = FairBooking.steps(rules.quotas(), booker, request.range(), room.zone(),
                reservation.id(), now);
        boolean sweptHolds = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            ReservationRepository.CreateOutcome outcome;
            try {
                outcome = reservations.create(reservation, idempotencyKey, fingerprint, doorGrants, quota.before(),
                        tx -> {
                            quota.after().accept(tx);
                            BookingFees.write(tx, reservation, request, priced, now);
                            offer.ifPresent(o -> o.also().accept(tx));
                        });
            } catch (RuntimeException e) {
                if (SqlFailure.of(e) != SqlFailure.CONNECTION) {
                    throw e;
                }
                // The connection failed, perhaps at COMMIT (a failover): whether the booking was made is unknown
                // until read back. Made, it is answered as made; not (or unreadable), 503 and the client sends it
                // again with its key, which can never make it twice.
                return outcomeUnknown(account, idempotencyKey, fingerprint, e);
            }
            switch (outcome) {
                case CREATED -> {
                    return new Booked(reservation, true,
                            doorGrants.made().map(batch -> new Access(batch.code(), batch.doors())));
                }
                case KEY_TAKEN -> {
                    // A concurrent request with the same key won; answer as its replay.
                    return replay(account, idempotencyKey, fingerprint)
                            .orElseThrow(() -> new IllegalStateException("idempotency key vanished"));
                }
                case SLOT_TAKEN -> {
                    if (!sweptHolds && reservations.expireOverdueHolds(room.id(), request.range(), now) > 0) {
                        sweptHolds = true;
                        continue;
                    }
                    throw slotTaken(room, request.range(), now);
                }
                case RETRY -> LOG.log(Level.DEBUG, "Booking attempt " + attempt + " hit a transient conflict");
            }
        }
        throw Problem.conflict("busy", "The room is being booked by others right now. Please try again.",
                "ただいま予約が混み合っています。もう一度お試しください。");
    }

    private Booked outcomeUnknown(Account account, String idempotencyKey, String fingerprint, RuntimeException failure) {
        try {
            Optional<Booked> made = replay(account, idempotencyKey, fingerprint);
            if (made.isPresent()) {
                // Seen on this node is not yet safe: a demoted leader may show a commit that never reached the
                // standby. A committed write to its row proves the standby has it too.
                reservations.makeDurable(made.get().reservation().id());
                LOG.log(Level.INFO, "A booking whose commit was interrupted turned out made; answered as made");
                return made.get();
            }
        } catch (RuntimeException unreadable) {
            if (SqlFailure.of(unreadable) != SqlFailure.CONNECTION) {
                throw unreadable;
            }
        }
        throw failure;
    }

    /**
     * @param municipality where
     * @param account      who
     * @param id           which
     * @return the reservation, if it is this account's
     */
    public Reservation visibleTo(Municipality municipality, Account account, UUID id) {
        return reservations.find(municipality.id(), id)
                .filter(r -> r.accountId().equals(account.id()))
                .orElseThrow(() -> Problem.notFound("reservation", "予約"));
    }

    /**
     * @param municipality where
     * @param id           which
     * @return the reservation, for other features' own checks (payments, receipts)
     */
    public Reservation reservation(Municipality municipality, UUID id) {
        return reservations.find(municipality.id(), id).orElseThrow(() -> Problem.notFound("reservation", "予約"));
    }

    /**
     * @param reservation a reservation the caller may see
     * @return its itemised fee as frozen, for bookings made since fees were itemised
     */
    public Optional<jp.kominkan.cloud.fee.Quote> fee(Reservation reservation) {
        return reservations.feeQuote(reservation.id()).map(jp.kominkan.cloud.fee.Quotes::fromJson);
    }

    /**
     * @param account who
     * @return their reservations, latest first
     */
    public List<Reservation> mine(Account account) {
        return reservations.byAccount(account.id());
    }

    /**
     * @param account who
     * @param page    which page, from 1 (the nearest page that exists is given)
     * @param size    bookings per page
     * @return their bookings that have not ended yet, soonest first
     */
    public ReservationPage upcoming(Account account, int page, int size) {
        Instant now = clock.instant();
        return ReservationPage.read(page, size, reservations.countUpcoming(account.id(), now),
                (limit, offset) -> reservations.upcomingForAccount(account.id(), now, limit, offset));
    }

    /**
     * @param account who
     * @param page    which page, from 1 (the nearest page that exists is given)
     * @param size    bookings per page
     * @return their bookings that have ended, the latest first
     */
    public ReservationPage past(Account account, int page, int size) {
        Instant now = clock.instant();
        return ReservationPage.read(page, size, reservations.countPast(account.id(), now),
                (limit, offset) -> reservations.pastForAccount(account.id(), now, limit, offset));
    }

    /**
     * Cancels the account's own reservation before it starts; cancelling twice is harmless.
     *
     * @param municipality where
     * @param account      who
     * @param id           which
     * @return the reservation as it is now
     */
    public Reservation cancel(Municipality municipality, Account account, UUID id) {
        Reservation reservation = reservations.find(municipality.id(), id)
                .filter(r -> r.accountId().equals(account.id()))
                .orElseThrow(() -> Problem.notFound("reservation", "予約"));
        Instant now = clock.instant();
        switch (reservation.statusAt(now)) {
            case CANCELLED -> {
                return reservation;
            }
            case EXPIRED -> throw Problem.conflict("not-cancellable",
                    "This reservation expired unpaid; there is nothing to cancel.",
                    "この予約は支払期限を過ぎて失効しています。取り消しは不要です。");
            default -> {
                if (!reservation.range().start().isAfter(now)) {
                    throw Problem.conflict("already-started",
                            "This reservation has already started and can no longer be cancelled online. Please contact the facility.",
                            "利用開始時刻を過ぎたため、オンラインでは取り消せません。施設にお問い合わせください。");
                }
            }
        }
        if (cancelWithMoney(reservation, CancellationMoney.Cause.USER, now, tx -> { })) {
            freed.freed(reservation.roomId());
        }
        return reservations.find(municipality.id(), id).orElseThrow();
    }

    /**
     * Cancels every booking of the account that has not started yet: before the account is deleted.
     *
     * @param municipality where
     * @param account      whose
     * @return how many were cancelled
     */
    public int cancelUpcoming(Municipality municipality, Account account) {
        Instant now = clock.instant();
        int cancelled = 0;
        for (Reservation reservation : reservations.byAccount(account.id())) {
            ReservationStatus status = reservation.statusAt(now);
            if ((status == ReservationStatus.HELD || status == ReservationStatus.CONFIRMED)
                    && reservation.range().start().isAfter(now)) {
                cancel(municipality, account, reservation.id());
                cancelled++;
            }
        }
        return cancelled;
    }

    /**
     * The booking code and doors of a reservation, for its own resident, while it is confirmed and
     * not over.
     *
     * @param account     who asks
     * @param reservation the reservation
     * @return the code and doors, when they open
     */
    public Optional<Access> access(Account account, Reservation reservation) {
        Instant now = clock.instant();
        if (!reservation.accountId().equals(account.id())
                || reservation.statusAt(now) != ReservationStatus.CONFIRMED
                || !now.isBefore(reservation.range().end())) {
            return Optional.empty();
        }
        return reservations.sealedAccessCode(reservation.id())
                .map(sealed -> new Access(sealer.open(sealed, reservation.id()), doors.forRoom(reservation.roomId())));
    }

    /**
     * The state of every slot of a room over some days.
     *
     * @param municipality where
     * @param roomId       which room
     * @param from         first local date; today when empty
     * @param days         how many days
     * @return the room and its slots
     */
    public RoomAvailability availability(Municipality municipality, long roomId, Optional<LocalDate> from, int days) {
        if (days < 1 || days > MAX_AVAILABILITY_DAYS) {
            throw Problem.badField("days", "days must be between 1 and " + MAX_AVAILABILITY_DAYS + ".",
                    "日数は 1〜" + MAX_AVAILABILITY_DAYS + " で指定してください。");
        }
        Room room = facilities.room(municipality.id(), roomId).orElseThrow(() -> Problem.notFound("room", "部屋"));
        Instant now = clock.instant();
        LocalDate today = now.atZone(room.zone()).toLocalDate();
        LocalDate first = from.orElse(today);
        if (first.isBefore(today.minusYears(1)) || first.isAfter(today.plusYears(2))) {
            throw Problem.badField("from", "from must be within a year before and two years after today.",
                    "from は今日の 1 年前から 2 年後までの日付で指定してください。");
        }
        LocalDate last = first.plusDays(days - 1L);
        room = withWindowReach(room, now);
        Set<LocalDate> closed = facilities.closedDays(room.facilityId(), first, last);
        Map<Instant, ReservationRepository.Occupant> occupied = reservations.occupied(room.id(),
                first.atStartOfDay(room.zone()).toInstant(), last.plusDays(1).atStartOfDay(room.zone()).toInstant(), now);
        return new RoomAvailability(room, Availability.of(room, closed, occupied, first, days, now));
    }

    /**
     * A room as availability shows it to anyone: where its facility has a booking window, open as far ahead as the
     * window reaches for anyone (the residents' tier); whether it is open yet for a given person the booking says.
     */
    private Room withWindowReach(Room room, Instant now) {
        return fair.rules(room.facilityId()).window().map(window -> {
            LocalDate today = now.atZone(room.zone()).toLocalDate();
            long reach = ChronoUnit.DAYS.between(today, window.lastOpenDay(Booker.Tier.RESIDENT, now, room.zone()));
            return new Room(room.id(), room.municipalityId(), room.facilityId(), room.name(), room.capacity(),
                    (int) Math.max(1, reach), room.pricePerHourResident(), room.pricePerHourNonResident(), room.hours(),
                    room.zone(), room.grantMarginMinutes(), room.published());
        }).orElse(room);
    }

    /** @return where cancellations are announced (the waiting list listens) */
    public FreedSlots freed() {
        return freed;
    }

    /**
     * @param municipality where
     * @param roomId       the room
     * @param range        the slots
     * @return what takes any of them now (a block before a reservation), or empty when all are free
     */
    public Optional<ReservationRepository.Occupant> occupant(Municipality municipality, long roomId, SlotRange range) {
        java.util.Collection<ReservationRepository.Occupant> taken = reservations.occupied(roomId, range.start(),
                range.end(), clock.instant()).values();
        return taken.contains(ReservationRepository.Occupant.BLOCK) ? Optional.of(ReservationRepository.Occupant.BLOCK)
                : taken.stream().findAny();
    }

    /** @return search for rooms free on a day, over this service's availability */
    public RoomSearch search() {
        return new RoomSearch(this, facilities);
    }

    /**
     * Expires overdue holds; called on a timer.
     *
     * @return how many expired
     */
    public int expireOverdueHolds() {
        return reservations.expireOverdueHolds(clock.instant(), 500);
    }

    Optional<GrantBatch> grantsFor(io.helidon.dbclient.DbExecute in, Municipality municipality, Reservation reservation,
                                   Room room, Instant now) {
        return grants.prepare(in, municipality.code(), reservation.id(), room.id(), reservation.range(),
                Duration.ofMinutes(room.grantMarginMinutes()), now);
    }

    private Optional<Booked> replay(Account account, String idempotencyKey, String fingerprint) {
        return reservations.byIdempotencyKey(account.id(), idempotencyKey).map(keyed -> {
            if (!keyed.requestHash().equals(fingerprint)) {
                throw Problem.unprocessable("idempotency-key-reused",
                        "This Idempotency-Key was already used for a different booking. Use a new key for a new booking.",
                        "この Idempotency-Key は別の予約に使われています。新しい予約には新しいキーを使ってください。");
            }
            return new Booked(keyed.reservation(), false, access(account, keyed.reservation()));
        });
    }

    /**
     * What a booking would cost and whether the rules allow it, without booking: the review step of the
     * booking pages. Whether the slots are still free is known only when booking.
     *
     * @param municipality where
     * @param account      who
     * @param request      what
     * @return the reservation it would be (not stored)
     * @throws Problem when a rule refuses it
     */
    public Quoted quote(Municipality municipality, Account account, BookingRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Room room = facilities.room(municipality.id(), request.roomId()).filter(Room::published)
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
        Booker booker = Booker.of(account, request.fee().groupId());
        FacilityRules rules = fair.rules(room.facilityId());
        checkRules(room, request, now, rules, booker.tier());
        fair.precheck(rules.quotas(), booker, request.range(), room.zone(), now);
        BookingFees.Priced priced = fees.price(room, account, request, now);
        return new Quoted(reservationFor(room, account, request, priced, now), priced.quote());
    }

    /**
     * A booking as it would be, and its itemised fee.
     *
     * @param reservation the reservation it would be (not stored)
     * @param quote       its fee
     */
    public record Quoted(Reservation reservation, jp.kominkan.cloud.fee.Quote quote) {
    }

    /**
     * The rules as the counter meets them: the facility's booking window, when it has one, as far as it reaches for
     * anyone (the residents' tier); otherwise the room's horizon.
     */
    void checkRules(Room room, BookingRequest request, Instant now) {
        checkRules(room, request, now, fair.rules(room.facilityId()), Booker.Tier.RESIDENT);
    }

    /**
     * @param room    the room
     * @param request the booking
     * @param now     now
     * @param rules   the facility's fair booking rules
     * @param tier    who books, for the booking window
     */
    void checkRules(Room room, BookingRequest request, Instant now, FacilityRules rules, Booker.Tier tier) {
        BookingRules.check(facilities, room, request, now, rules.window().isEmpty());
        rules.window().ifPresent(window -> FairBooking.checkWindow(window, tier, request.range(), room.zone(), now));
        lotteries.firstComeAt(room.id(), request.range(), now).ifPresent(opens -> {
            String at = opens.atZone(room.zone()).toLocalDateTime().toString().replace('T', ' ');
            throw Problem.conflict("lottery-period", "This time is allotted by lottery; first-come booking of what"
                            + " is left opens at " + at + ".",
                    "この時間は抽選で決まります。抽選後に残った枠の先着順の受付は " + at + " からです。");
        });
    }

    BookingFees fees() {
        return fees;
    }

    /**
     * Confirms a held reservation because it was paid online, in the payment's transaction: its slots stop
     * lapsing and its door grants are written.
     *
     * @param tx          the payment's transaction
     * @param municipality where
     * @param reservation the reservation
     * @param method      how it was paid (card, konbini)
     * @param now         when
     * @return false when it is no longer held (cancelled, or lapsed before the money came)
     */
    public boolean confirmPaid(io.helidon.dbclient.DbTransaction tx, Municipality municipality, Reservation reservation,
                               String method, Instant now) {
        Room room = facilities.room(municipality.id(), reservation.roomId()).orElseThrow();
        return ReservationWrites.confirmPaid(tx, reservation.id(), method,
                grantsFor(tx, municipality, reservation, room, now),
                now);
    }

    /**
     * Confirms a held reservation whose fee fell to nothing (a 全額免除 approved), in the approval's
     * transaction: its slots stop lapsing and its door grants are written, as for a free room.
     *
     * @param tx           the approval's transaction
     * @param municipality where
     * @param reservation  the reservation
     * @param now          when
     * @return false when it is no longer held
     */
    public boolean confirmFree(io.helidon.dbclient.DbTransaction tx, Municipality municipality, Reservation reservation,
                               Instant now) {
        Room room = facilities.room(municipality.id(), reservation.roomId()).orElseThrow();
        return ReservationWrites.confirmPaid(tx, reservation.id(), null,
                grantsFor(tx, municipality, reservation, room, now),
                now);
    }

    /**
     * Lets a held reservation lapse at once, because its payment was given up (a konbini voucher that expired).
     *
     * @param municipality where
     * @param reservation  the reservation
     * @return true when it lapsed now
     */
    public boolean lapse(Municipality municipality, Reservation reservation) {
        return reservations.lapse(reservation.id(), clock.instant());
    }

    /**
     * What the resident would get back if they cancelled now, before they decide.
     *
     * @param municipality where
     * @param account      who
     * @param id           which
     * @return the refund, when anything was paid
     */
    public Optional<CancellationMoney.Preview> cancellationPreview(Municipality municipality, Account account, UUID id) {
        return money.preview(visibleTo(municipality, account, id), CancellationMoney.Cause.USER, clock.instant());
    }

    CancellationMoney money() {
        return money;
    }

    /**
     * Cancels, with the refund schedule's fee and refunds decided in the same transaction, then pays them.
     */
    boolean cancelWithMoney(Reservation reservation, CancellationMoney.Cause cause, Instant now,
                            java.util.function.Consumer<io.helidon.dbclient.DbTransaction> also) {
        boolean done = reservations.cancel(reservation.id(), now, tx -> {
            long fee = money.onCancel(tx, reservation, cause, now);
            tx.update("update reservation set cancellation_fee = ? where id = ?", fee, reservation.id());
            FairBooking.free(tx, reservation.id());
            also.accept(tx);
        });
        if (done) {
            money.afterCancel(reservation.id());
        }
        return done;
    }

    Reservation reservationFor(Room room, Account account, BookingRequest request, BookingFees.Priced priced,
                               Instant now) {
        int amount = Math.toIntExact(priced.quote().total());
        boolean free = amount == 0;
        return new Reservation(UUID.randomUUID(), room.municipalityId(), room.id(), account.id(),
                free ? ReservationStatus.CONFIRMED : ReservationStatus.HELD, request.range(),
                request.purpose(), request.attendees(), amount,
                free ? Optional.empty() : Optional.of(priced.deadline()), now);
    }

    Problem slotTaken(Room room, SlotRange range, Instant now) {
        boolean blocked = reservations.occupied(room.id(), range.start(), range.end(), now)
                .containsValue(ReservationRepository.Occupant.BLOCK);
        if (blocked) {
            return Problem.conflict("slot-blocked",
                    "The room is reserved for maintenance or city use at that time. Choose another time.",
                    "その時間は点検・市の使用のため予約できません。別の時間を選んでください。");
        }
        return Problem.conflict("slot-taken", "Someone else has booked this time. Choose another time.",
                "その時間はすでに予約されています。別の時間を選んでください。");
    }

    /**
     * A reservation and whether this request made it.
     *
     * @param reservation the reservation
     * @param created     true when new, false for a replay of the same key
     * @param access      its code and doors, when confirmed with doors
     */
    public record Booked(Reservation reservation, boolean created, Optional<Access> access) {
    }

    /**
     * What opens the door of a confirmed booking.
     *
     * @param code  the booking code
     * @param doors the room's doors
     */
    public record Access(BookingCode code, List<Door> doors) {
    }

    /**
     * Availability of one room.
     *
     * @param room  the room
     * @param slots its slots
     */
    public record RoomAvailability(Room room, List<Availability.Slot> slots) {
    }
}
