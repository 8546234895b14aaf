package jp.kominkan.cloud.booking;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.fee.Equipment;
import jp.kominkan.cloud.fee.EquipmentCatalog;
import jp.kominkan.cloud.fee.FeeException;
import jp.kominkan.cloud.fee.FeeRequest;
import jp.kominkan.cloud.fee.Quote;
import jp.kominkan.cloud.fee.RoomFees;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.ledger.LedgerEntry;
import jp.kominkan.cloud.web.Problem;

/**
 * The fee side of a booking: turns a booking request into the fee schedule's terms, prices it, sets the
 * payment deadline (支払期限) from the room's rule, and writes the frozen quote, the equipment taken and
 * the ledger's charge in the reservation's transaction. The pricing itself lives in {@code fee}.
 */
public final class BookingFees {

    /** How long a booking made inside its room's payment window is held for paying at once. */
    public static final Duration PAY_AT_ONCE = Duration.ofMinutes(30);
    /** The largest fee of one booking: what the reservation's amount column holds with room to spare. */
    static final long MAX_FEE = 100_000_000L;

    private final RoomFees fees;
    private final EquipmentCatalog catalog;
    private final Duration holdDuration;
    private final GroupBookings groups;

    /**
     * Who may book for which group (団体利用): asked for every booking that names a group.
     */
    @FunctionalInterface
    public interface GroupBookings {
        /** No group bookings at all. */
        GroupBookings NONE = (municipalityId, account, groupId) -> false;

        /**
         * @param municipalityId the municipality
         * @param account        who books
         * @param groupId        the group named
         * @return whether the account represents the group and it is approved today
         */
        boolean mayBookFor(long municipalityId, Account account, long groupId);
    }

    /**
     * @param fees         the rooms' schedules
     * @param catalog      the facilities' equipment
     * @param holdDuration the longest a booking is held unpaid (仮予約の期限)
     */
    public BookingFees(RoomFees fees, EquipmentCatalog catalog, Duration holdDuration) {
        this(fees, catalog, holdDuration, GroupBookings.NONE);
    }

    /**
     * @param fees         the rooms' schedules
     * @param catalog      the facilities' equipment
     * @param holdDuration the longest a booking is held unpaid (仮予約の期限)
     * @param groups       who may book for which group
     */
    public BookingFees(RoomFees fees, EquipmentCatalog catalog, Duration holdDuration, GroupBookings groups) {
        this.fees = fees;
        this.catalog = catalog;
        this.holdDuration = holdDuration;
        this.groups = java.util.Objects.requireNonNull(groups, "groups");
    }

    /**
     * A booking priced, before it is stored.
     *
     * @param quote     the itemised fee, frozen on the reservation
     * @param equipment equipment id → what is wanted
     * @param deadline  when an unpaid hold lapses
     */
    public record Priced(Quote quote, Map<Long, EquipmentSlots.Wanted> equipment, Instant deadline) {
    }

    /**
     * @param room    the room
     * @param account who books
     * @param request what
     * @param now     now
     * @return the fee and deadline
     * @throws Problem when the schedule cannot price it or equipment is unknown
     */
    public Priced price(Room room, Account account, BookingRequest request, Instant now) {
        ZoneId zone = room.zone();
        request.fee().groupId().ifPresent(groupId -> {
            if (!groups.mayBookFor(room.municipalityId(), account, groupId)) {
                throw Problem.badField("groupId", "Book only for a group you represent and that is approved.",
                        "予約できるのは、あなたが代表者で承認済みの団体だけです。");
            }
        });
        Map<Long, EquipmentSlots.Wanted> wanted = new LinkedHashMap<>();
        List<FeeRequest.EquipmentUse> uses = new ArrayList<>();
        for (Map.Entry<String, Integer> e : request.fee().equipment().entrySet()) {
            Equipment piece = catalog.find(room.facilityId(), e.getKey()).orElseThrow(() -> Problem.badField("equipment",
                    "This facility has no equipment '" + e.getKey() + "'.", "この施設に「" + e.getKey() + "」の附属設備はありません。"));
            if (e.getValue() < 1 || e.getValue() > piece.stock()) {
                throw Problem.badField("equipment", "The facility has " + piece.stock() + " of " + piece.name() + ".",
                        piece.name() + " は " + piece.stock() + " 台までです。");
            }
            wanted.put(piece.id(), new EquipmentSlots.Wanted(piece.name(), e.getValue()));
            uses.add(piece.use(e.getValue()));
        }
        FeeRequest.Residency residency = account.residency() == Account.Residency.RESIDENT
                ? FeeRequest.Residency.RESIDENT : FeeRequest.Residency.NON_RESIDENT;
        BookingRequest.FeeOptions options = request.fee();
        Quote quote;
        try {
            quote = fees.quote(room, new FeeRequest(request.range().start().atZone(zone).toLocalDateTime(),
                    request.range().end().atZone(zone).toLocalDateTime(), now.atZone(zone).toLocalDate(), residency,
                    new FeeRequest.Purpose(options.admissionYen(), options.commercial(), options.mainlyNonResidents()),
                    uses, Optional.empty()));
        } catch (FeeException e) {
            throw Problem.badRequest("fee-" + e.code(), e.messageEn(), e.messageJa());
        }
        if (quote.total() > MAX_FEE) {
            throw Problem.badRequest("fee-too-large", "A single booking's fee cannot exceed " + MAX_FEE + " yen; book"
                    + " shorter periods.", "1 件の予約の料金は " + String.format("%,d", MAX_FEE) + " 円までです。期間を分けて予約してください。");
        }
        return new Priced(quote, wanted, deadline(room, request.range(), now));
    }

    /**
     * What a stored booking says about its use, as {@link #write} kept it: to price it again.
     *
     * @param admissionYen       the admission charged
     * @param commercial         commercial use
     * @param mainlyNonResidents mainly for people from outside the town
     * @param equipment          equipment code → how many
     */
    public record Stored(long admissionYen, boolean commercial, boolean mainlyNonResidents,
                         Map<String, Integer> equipment) {

        /** Copies the map. */
        public Stored {
            equipment = Map.copyOf(equipment);
        }
    }

    /**
     * Prices a stored booking again, as it was booked (same range, purpose, equipment, booking date) but with a
     * reduction (減免): a 減免 approval freezes the result in place of the first quote.
     *
     * @param room        the room
     * @param reservation the booking
     * @param stored      its purpose and equipment
     * @param residency   the applicant's residency
     * @param reduction   the reduction granted
     * @return the new quote
     * @throws Problem when the schedule cannot price it (e.g. the reduction is refused with admission)
     */
    public Quote reprice(Room room, Reservation reservation, Stored stored, Account.Residency residency,
                         Optional<FeeRequest.Reduction> reduction) {
        ZoneId zone = room.zone();
        List<FeeRequest.EquipmentUse> uses = new ArrayList<>();
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(stored.equipment()).entrySet()) {
            catalog.find(room.facilityId(), e.getKey()).ifPresent(piece -> uses.add(piece.use(e.getValue())));
        }
        try {
            return fees.quote(room, new FeeRequest(reservation.range().start().atZone(zone).toLocalDateTime(),
                    reservation.range().end().atZone(zone).toLocalDateTime(),
                    reservation.createdAt().atZone(zone).toLocalDate(),
                    residency == Account.Residency.RESIDENT ? FeeRequest.Residency.RESIDENT
                            : FeeRequest.Residency.NON_RESIDENT,
                    new FeeRequest.Purpose(stored.admissionYen(), stored.commercial(), stored.mainlyNonResidents()),
                    uses, reduction));
        } catch (FeeException e) {
            throw Problem.conflict("fee-" + e.code(), e.messageEn(), e.messageJa());
        }
    }

    /**
     * The payment deadline of a held booking decided again from now (after a 減免 review), by the rule of
     * {@link #deadline(Room, jp.kominkan.shared.slot.SlotRange, Instant)}.
     *
     * @param room  the room
     * @param range the booking's slots
     * @param now   now
     * @return when an unpaid hold lapses
     */
    public Instant deadlineFrom(Room room, jp.kominkan.shared.slot.SlotRange range, Instant now) {
        return deadline(room, range, now);
    }

    /**
     * The payment deadline: the end of the day {@code pay_days_before} days before the use date (in the
     * facility's zone), but no later than the longest hold; a booking made later than that must be paid
     * at once, within {@link #PAY_AT_ONCE}, and never after it starts.
     */
    Instant deadline(Room room, jp.kominkan.shared.slot.SlotRange range, Instant now) {
        ZoneId zone = room.zone();
        LocalDate useDate = range.start().atZone(zone).toLocalDate();
        Instant payBy = useDate.minusDays(fees.payDaysBefore(room.id()) - 1L).atStartOfDay(zone).toInstant();
        Instant deadline = payBy.isAfter(now.plus(PAY_AT_ONCE)) ? payBy : now.plus(PAY_AT_ONCE);
        if (deadline.isAfter(now.plus(holdDuration))) {
            deadline = now.plus(holdDuration);
        }
        return deadline.isAfter(range.start()) ? range.start() : deadline;
    }

    /**
     * Writes what the fee side adds to a new reservation, in its transaction.
     *
     * @param tx          the reservation's transaction
     * @param reservation the reservation just inserted
     * @param request     what was asked
     * @param priced      its fee
     * @param now         when
     */
    private static String note(String text) {
        return text.length() <= 400 ? text : text.substring(0, 399) + "…";
    }

    static void write(DbTransaction tx, Reservation reservation, BookingRequest request, Priced priced, Instant now) {
        tx.update("update reservation set fee_quote = ?, purpose_admission_yen = ?, purpose_commercial = ?,"
                        + " purpose_mainly_non_resident = ?, group_id = ? where id = ?",
                priced.quote().toJson(), request.fee().admissionYen(), request.fee().commercial(),
                request.fee().mainlyNonResidents(), request.fee().groupId().orElse(null), reservation.id());
        EquipmentSlots.take(tx, reservation.id(), reservation.range(), priced.equipment());
        Ledger.append(tx, Ledger.NewEntry.due(reservation.municipalityId(), reservation.id(), LedgerEntry.Kind.CHARGE,
                priced.quote().total(), note("使用料 " + priced.quote().summaryJa())), now);
    }
}
