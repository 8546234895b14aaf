package jp.kominkan.cloud.booking;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.JdbcAccountRepository;
import jp.kominkan.cloud.account.PersonFields;
import jp.kominkan.cloud.account.PhoneNumbers;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.grant.GrantBatch;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.mail.Mailer;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Reservation management at the counter and in the back office: book for a resident or a walk-in,
 * cancel with a reason, move to another time or room, record a cash payment with its receipt number.
 * Each checks role and scope, and writes the change, its operation log entry and the resident's
 * e-mail (through the outbox) in one transaction.
 */
public final class StaffBookings {

    private final DbClient db;
    private final ReservationRepository reservations;
    private final ReservationSearch search;
    private final FacilityRepository facilities;
    private final BookingService bookings;
    private final AccountService accounts;
    private final OperationLog log;
    private final MailOutbox outbox;
    private final PendingReduction pendingReduction;
    private final Clock clock;

    /**
     * @param db               the database
     * @param reservations     reservations
     * @param search           the staff's list
     * @param facilities       rooms
     * @param bookings         the booking rules and grants
     * @param accounts         residents
     * @param log              the operation log
     * @param outbox           mail to residents
     * @param pendingReduction whether a 減免 application waits for review (cash waits for it too)
     * @param clock            the clock
     */
    public StaffBookings(DbClient db, ReservationRepository reservations, ReservationSearch search,
                         FacilityRepository facilities, BookingService bookings, AccountService accounts,
                         OperationLog log, MailOutbox outbox, PendingReduction pendingReduction, Clock clock) {
        this.db = db;
        this.reservations = reservations;
        this.search = search;
        this.facilities = facilities;
        this.bookings = bookings;
        this.accounts = accounts;
        this.log = log;
        this.outbox = outbox;
        this.pendingReduction = pendingReduction;
        this.clock = clock;
    }

    /**
     * @param town   where
     * @param member who reads
     * @param id     which reservation
     * @return it, when its facility is in the member's scope
     */
    public ReservationSearch.Row visible(Municipality town, StaffMember member, UUID id) {
        return search.one(town.id(), id).filter(row -> member.may(Permission.VIEW_BOOKINGS, row.facilityId()))
                .orElseThrow(() -> Problem.notFound("reservation", "予約"));
    }

    /**
     * Who books at the counter: a registered resident, or a walk-in with a name and phone only.
     *
     * @param accountId a registered resident's account
     * @param name      a walk-in's name
     * @param phone     a walk-in's phone
     */
    public record Booker(Optional<UUID> accountId, String name, String phone) {
    }

    /**
     * Books at the counter (窓口予約).
     *
     * @param town           where
     * @param member         who books (manage bookings, the room's facility in scope)
     * @param actor          who, from where
     * @param request        what
     * @param booker         for whom
     * @param idempotencyKey the form's key, so a double submit books once
     * @return the reservation (held until paid, or confirmed when free)
     */
    public Reservation counterBooking(Municipality town, StaffMember member, Actor actor, BookingRequest request,
                                      Booker booker, String idempotencyKey) {
        Room room = managedRoom(town, member, request.roomId());
        Optional<Reservation> earlier = byCounterKey(town, member, idempotencyKey);
        if (earlier.isPresent()) {
            return replayed(earlier.get(), request);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Account account;
        boolean walkIn = booker.accountId().isEmpty();
        if (walkIn) {
            String name = PersonFields.name(booker.name() == null ? "" : booker.name());
            String phone = PhoneNumbers.normalise(booker.phone() == null ? "" : booker.phone())
                    .orElseThrow(() -> Problem.badField("phone", "Enter a phone number such as 090-1234-5678.",
                            "電話番号を入力してください（例: 090-1234-5678）。"));
            account = new Account(UUID.randomUUID(), town.id(), Optional.empty(), name, Account.Residency.UNKNOWN);
            booker = new Booker(Optional.empty(), name, phone);
        } else {
            account = accounts.find(booker.accountId().get()).filter(a -> a.municipalityId() == town.id())
                    .orElseThrow(() -> Problem.badField("accountId", "No such resident here.", "該当する利用者がいません。"));
        }
        bookings.checkRules(room, request, now);
        BookingFees.Priced priced = bookings.fees().price(room, account, request, now);
        Reservation reservation = bookings.reservationFor(room, account, request, priced, now);
        LazyGrants grants = reservation.status() == ReservationStatus.CONFIRMED
                ? LazyGrants.of(in -> bookings.grantsFor(in, town, reservation, room, now)) : LazyGrants.none();
        Booker who = booker;
        ReservationRepository.CreateOutcome outcome = reservations.create(reservation, idempotencyKey,
                request.fingerprint(), grants, tx -> {
                    if (walkIn) {
                        JdbcAccountRepository.insertWalkIn(tx, account.id(), town.id(), who.name(), who.phone(), now);
                    }
                }, tx -> {
                    tx.update("update reservation set booked_by = ? where id = ?", member.id(), reservation.id());
                    BookingFees.write(tx, reservation, request, priced, now);
                    log.append(tx, town.id(), actor, Change.of("reservation.counter-book", "reservation",
                            reservation.id(), room.facilityId(), null, state(reservation, account.id())), now);
                });
        return switch (outcome) {
            case CREATED -> reservation;
            case KEY_TAKEN -> reservations.byIdempotencyKey(account.id(), idempotencyKey).map(k -> k.reservation())
                    .orElseThrow(() -> Problem.conflict("busy", "Please try again.", "もう一度お試しください。"));
            // A concurrent submit of the same form won (the clerk's key is unique): answer with its booking.
            case SLOT_TAKEN -> byCounterKey(town, member, idempotencyKey).map(r -> replayed(r, request))
                    .orElseThrow(() -> bookings.slotTaken(room, request.range(), now));
            case RETRY -> throw Problem.conflict("busy", "The room is being booked by others right now. Please try again.",
                    "ただいま予約が混み合っています。もう一度お試しください。");
        };
    }

    /**
     * Cancels a reservation for the facility (施設都合の取消), with a reason the resident is told.
     *
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param id     which
     * @param reason why
     * @return it now
     */
    public ReservationSearch.Row cancel(Municipality town, StaffMember member, Actor actor, UUID id, String reason) {
        return cancel(town, member, actor, id, reason, CancellationMoney.Cause.CITY);
    }

    /**
     * Cancels a reservation with a reason the resident is told, refunding as the facility's schedule says
     * for the cause (the city's own cancellation and force majeure refund everything).
     *
     * @param town   where
     * @param member who
     * @param actor  who, from where
     * @param id     which
     * @param reason why, in words
     * @param cause  why, as the refund schedule tells causes apart
     * @return it now
     */
    public ReservationSearch.Row cancel(Municipality town, StaffMember member, Actor actor, UUID id, String reason,
                                        CancellationMoney.Cause cause) {
        ReservationSearch.Row row = managed(town, member, id);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 400) {
            throw Problem.badField("reason", "Give the reason for cancelling (up to 400 characters); the resident is told.",
                    "取消の理由を入力してください（400 文字まで）。利用者に通知されます。");
        }
        Instant now = clock.instant();
        ReservationStatus status = row.statusAt(now);
        if (status != ReservationStatus.HELD && status != ReservationStatus.CONFIRMED) {
            throw Problem.conflict("not-cancellable", "This reservation is already " + status.wire() + ".",
                    "この予約はすでに取消済みか失効しています。");
        }
        if (!row.range().end().isAfter(now)) {
            throw Problem.conflict("already-over", "This reservation is over.", "この予約の利用時間は終わっています。");
        }
        Sql.inTransaction(db, tx -> {
            if (!StaffBookingWrites.cancel(tx, id, member.id(), why, now)) {
                throw Problem.conflict("not-cancellable", "This reservation changed meanwhile; reload.",
                        "この予約は他の操作で変更されました。再読み込みしてください。");
            }
            long fee = bookings.money().onCancel(tx, reservations.find(town.id(), id).orElseThrow(), cause, now);
            tx.update("update reservation set cancellation_fee = ? where id = ?", fee, id);
            log.append(tx, town.id(), actor, Change.of("reservation.cancel", "reservation", id, row.facilityId(),
                    Map.of("status", row.status().wire()), Map.of("status", "cancelled", "reason", why)), now);
            notify(tx, town, row, "reservation-cancelled-by-staff", "【" + town.name() + "】ご予約の取消のお知らせ",
                    "次のご予約は、施設の都合により取り消されました。\n\n" + describe(town, row, row.range(), row.roomName())
                            + "\n理由: " + why + "\n\nお問い合わせは施設の窓口へお願いします。\n"
                            + "Your booking above was cancelled by the facility. Reason as stated.");
            return null;
        });
        bookings.money().afterCancel(id);
        return search.one(town.id(), id).orElseThrow();
    }

    /**
     * Moves a reservation to another time or room, all or nothing: the new slots are taken in the same
     * transaction that frees the old ones, or nothing changes.
     *
     * @param town      where
     * @param member    who
     * @param actor     who, from where
     * @param id        which
     * @param newRoomId to which room
     * @param range     to when
     * @return it now
     */
    public ReservationSearch.Row move(Municipality town, StaffMember member, Actor actor, UUID id, long newRoomId,
                                      SlotRange range) {
        ReservationSearch.Row row = managed(town, member, id);
        Room room = managedRoom(town, member, newRoomId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ReservationStatus status = row.statusAt(now);
        if (status != ReservationStatus.HELD && status != ReservationStatus.CONFIRMED) {
            throw Problem.conflict("not-movable", "Only a held or confirmed reservation can be moved.",
                    "変更できるのは仮予約か確定した予約だけです。");
        }
        if (db.execute().get("select 1 as x from reduction_application where reservation_id = ? and status <> 'rejected'",
                id).isPresent()) {
            // Its fee was (or is being) decided by a 減免 review for this time and room.
            throw Problem.conflict("reduction-applies", "A fee reduction was applied for on this booking; cancel and book"
                    + " again instead of moving it.", "この予約は減免を申請済みのため変更できません。取消して予約し直してください。");
        }
        // Priced again with what it was booked with: admission, commercial use, audience, equipment, group.
        BookingRequest request = new BookingRequest(room.id(), range, row.purpose(), row.attendees(),
                StaffBookingWrites.storedOptions(db, id));
        bookings.checkRules(room, request, now);
        Account account = accounts.find(row.accountId()).orElse(new Account(row.accountId(), town.id(), Optional.empty(),
                row.person(), Account.Residency.UNKNOWN));
        BookingFees.Priced priced = bookings.fees().price(room, account, request, now);
        int amount = Math.toIntExact(priced.quote().total());
        if (status == ReservationStatus.CONFIRMED && amount != row.amount()) {
            throw Problem.conflict("fee-differs", "The fee for the new time or room (" + amount + " yen) differs from what"
                            + " was paid (" + row.amount() + " yen). Cancel and book again instead.",
                    "変更後の料金（" + amount + " 円）が支払済みの料金（" + row.amount() + " 円）と異なります。取消して予約し直してください。");
        }
        Optional<GrantBatch> grants = status == ReservationStatus.CONFIRMED
                ? bookings.grantsFor(db.execute(), town, new Reservation(id, town.id(), room.id(), row.accountId(), row.status(), range,
                row.purpose(), row.attendees(), amount, Optional.empty(), now), room, now) : Optional.empty();
        try {
            Sql.inTransaction(db, tx -> {
                if (!StaffBookingWrites.move(tx, id, room.id(), range, amount, row.holdDeadline(), grants, now)) {
                    throw Problem.conflict("not-movable", "This reservation changed meanwhile; reload.",
                            "この予約は他の操作で変更されました。再読み込みしてください。");
                }
                StaffBookingWrites.moveEquipment(tx, id, range);
                tx.update("update reservation set fee_quote = ? where id = ?", priced.quote().toJson(), id);
                jp.kominkan.cloud.ledger.Ledger.dueTo(tx, id, amount, jp.kominkan.cloud.ledger.LedgerEntry.Kind.CANCELLATION,
                        "日時・部屋の変更による差額", now);
                log.append(tx, town.id(), actor, Change.of("reservation.move", "reservation", id, room.facilityId(),
                        Map.of("roomId", row.roomId(), "start", row.range().start().toString(),
                                "end", row.range().end().toString(), "amount", row.amount()),
                        Map.of("roomId", room.id(), "start", range.start().toString(), "end", range.end().toString(),
                                "amount", amount)), now);
                String roomName = facilities.facility(town.id(), room.facilityId()).map(f -> f.name() + " ").orElse("")
                        + room.name();
                notify(tx, town, row, "reservation-moved-by-staff", "【" + town.name() + "】ご予約の変更のお知らせ",
                        "ご予約が次のとおり変更されました。\n\n変更前: " + describe(town, row, row.range(),
                                row.facilityName() + " " + row.roomName()) + "\n変更後: " + describe(town, row, range, roomName)
                                + "\n\n入室用の暗証番号は予約の詳細ページでご確認ください。\n"
                                + "Your booking was moved as above; see your booking page for the door code.");
                return null;
            });
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                throw bookings.slotTaken(room, range, now);
            }
            throw e;
        }
        return search.one(town.id(), id).orElseThrow();
    }

    /**
     * Records a cash payment at the counter (現金受領), which confirms a held reservation and gives it a
     * receipt number. Recording it again answers with the same receipt.
     *
     * @param town     where
     * @param member   who
     * @param actor    who, from where
     * @param id       which
     * @param received the cash received, yen (at least the fee)
     * @return it now
     */
    public ReservationSearch.Row recordCash(Municipality town, StaffMember member, Actor actor, UUID id, int received) {
        ReservationSearch.Row row = managed(town, member, id);
        if (row.status() == ReservationStatus.CONFIRMED) {
            return row;
        }
        Instant now = clock.instant();
        if (row.statusAt(now) != ReservationStatus.HELD) {
            throw Problem.conflict(row.status() == ReservationStatus.CANCELLED ? "cancelled" : "hold-expired",
                    "This reservation is no longer held for payment.", "この予約は支払待ちではありません（取消または失効）。");
        }
        if (pendingReduction.on(db.execute(), id)) {
            throw reductionPending();
        }
        if (received < row.amount() || received > 10_000_000) {
            throw Problem.badField("amountReceived", "The cash received must be at least the fee of " + row.amount()
                    + " yen.", "受領額は料金 " + row.amount() + " 円以上にしてください。");
        }
        Room room = facilities.room(town.id(), row.roomId()).orElseThrow();
        Reservation reservation = reservations.find(town.id(), id).orElseThrow();
        Optional<GrantBatch> grants = bookings.grantsFor(db.execute(), town, reservation, room, now);
        StaffBookingWrites.ensureReceiptCounter(db, town.id(), now.atZone(town.zone()).getYear());
        Sql.inTransaction(db, tx -> {
            String receipt = StaffBookingWrites.confirmCash(tx, town.id(), town.zone(), id, received, grants, now)
                    .orElseThrow(() -> Problem.conflict("hold-expired", "This reservation is no longer held for payment.",
                            "この予約は支払待ちではありません。"));
            // Asked again with the booking's row now locked: an application sent since the first look (it moves the
            // same row's hold) is seen here, and the payment is undone with the rest of the transaction.
            if (pendingReduction.on(tx, id)) {
                throw reductionPending();
            }
            jp.kominkan.cloud.payment.CounterPayments.record(tx, town.id(), id, received, receipt, member.id(), now);
            log.append(tx, town.id(), actor, Change.of("reservation.cash", "reservation", id, row.facilityId(),
                    Map.of("status", "held"), Map.of("status", "confirmed", "amount", row.amount(),
                            "amountReceived", received, "receipt", receipt)), now);
            return null;
        });
        return search.one(town.id(), id).orElseThrow();
    }

    private static Problem reductionPending() {
        return Problem.conflict("reduction-pending",
                "A fee reduction (減免) application on this booking is under review; take the money once it is decided.",
                "減免の審査中のため、審査が終わるまで受領できません。");
    }

    private Optional<Reservation> byCounterKey(Municipality town, StaffMember member, String key) {
        return db.execute().get("select id from reservation where booked_by = ? and idempotency_key = ?", member.id(), key)
                .flatMap(row -> reservations.find(town.id(), Sql.uuid(row, "id")));
    }

    private static Reservation replayed(Reservation earlier, BookingRequest request) {
        if (earlier.roomId() != request.roomId() || !earlier.range().equals(request.range())) {
            throw Problem.unprocessable("idempotency-key-reused",
                    "This form was already used for a different booking. Open the counter form again.",
                    "このフォームは別の予約にすでに使われています。窓口予約の画面を開き直してください。");
        }
        return earlier;
    }

    private ReservationSearch.Row managed(Municipality town, StaffMember member, UUID id) {
        ReservationSearch.Row row = visible(town, member, id);
        if (!member.may(Permission.MANAGE_BOOKINGS)) {
            throw StaffAuthenticator.forbidden();
        }
        return row;
    }

    private Room managedRoom(Municipality town, StaffMember member, long roomId) {
        Room room = facilities.room(town.id(), roomId).filter(r -> member.mayManage(r.facilityId()))
                .orElseThrow(() -> Problem.notFound("room", "部屋"));
        if (!member.may(Permission.MANAGE_BOOKINGS)) {
            throw StaffAuthenticator.forbidden();
        }
        return room;
    }

    private void notify(DbTransaction tx, Municipality town, ReservationSearch.Row row, String kind, String subject,
                        String body) {
        if (row.email().isPresent() && !row.walkIn()) {
            outbox.enqueue(tx, town.id(), kind, new Mailer.Mail(row.email().get(), subject, row.person() + " 様\n\n" + body),
                    clock.instant());
        }
    }

    private static String describe(Municipality town, ReservationSearch.Row row, SlotRange range, String place) {
        jp.kominkan.cloud.page.Page ja = new jp.kominkan.cloud.page.Page(jp.kominkan.cloud.page.Lang.JA, "",
                Optional.empty(), town.name(), "", Map.of(), Map.of());
        return "予約番号 " + row.number() + "　" + Formats.when(range, town.zone(), ja) + "　" + place;
    }

    private static Map<String, Object> state(Reservation r, UUID accountId) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("roomId", r.roomId());
        state.put("accountId", accountId.toString());
        state.put("start", r.range().start().toString());
        state.put("end", r.range().end().toString());
        state.put("status", r.status().wire());
        state.put("amount", r.amount());
        return state;
    }

}
