package jp.kominkan.cloud.payment;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.ledger.LedgerEntry;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.receipt.DailyTakings;
import jp.kominkan.cloud.receipt.HandledBy;
import jp.kominkan.cloud.receipt.PaymentMethod;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * The counter's money as the ledger holds it (出納): a facility's takings of a day (日計表), its sales of a month
 * (売上: payments − refunds per day), and cash refunds waiting to be paid out at the counter (還付待ち). Read
 * from {@code ledger_entry} only, so the figures are the ledger's by construction; payment and refund rows
 * give the method, the receipt number and the clerk.
 */
public final class Takings {

    private static final String LINES = """
            select l.id, l.kind, l.amount, l.created_at, l.reservation_id, l.provider_ref as l_ref,
                   coalesce(p.method, q.method) as method, coalesce(p.receipt_number, q.receipt_number) as receipt,
                   coalesce(p.provider_ref, q.provider_ref) as p_ref, s.name as clerk
              from ledger_entry l
              join reservation r on r.id = l.reservation_id
              join room m on m.id = r.room_id
              left join payment p on p.id = l.payment_id
              left join refund f on f.id = l.refund_id
              left join payment q on q.id = f.payment_id
              left join staff_account s on s.id = l.clerk_id
             where l.municipality_id = ? and m.facility_id = ? and l.kind in ('payment', 'refund')
               and l.created_at >= ? and l.created_at < ?
             order by l.created_at, l.id""";
    private static final String PENDING_CASH = """
            select f.id, f.reservation_id, f.amount, f.rate_percent, f.created_at, p.receipt_number, m.facility_id,
                   c.name as facility_name, m.name as room_name
              from refund f
              join payment p on p.id = f.payment_id
              join reservation r on r.id = f.reservation_id
              join room m on m.id = r.room_id
              join facility c on c.id = m.facility_id
             where f.municipality_id = ? and f.status = 'pending' and p.provider = 'counter'
             order by f.created_at, f.id""";

    private final DbClient db;
    private final Refunds refunds;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param db      the database
     * @param refunds records a refund's outcome with its ledger entry
     * @param log     the operation log
     * @param clock   the clock
     */
    public Takings(DbClient db, Refunds refunds, OperationLog log, Clock clock) {
        this.db = db;
        this.refunds = refunds;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Money in or out on one ledger line.
     *
     * @param entryId       the ledger entry
     * @param at            when
     * @param kind          payment or refund
     * @param yen           yen, positive
     * @param reservationId the reservation
     * @param method        how it was paid
     * @param receipt       the receipt number (of the payment a refund gives back)
     * @param providerRef   the provider's reference, online
     * @param clerk         the clerk's name, at the counter
     */
    public record Line(long entryId, Instant at, LedgerEntry.Kind kind, long yen, UUID reservationId,
                       Payment.Method method, Optional<String> receipt, Optional<String> providerRef,
                       Optional<String> clerk) {

        /** @return the reservation's number as people read it out */
        public String reservationNumber() {
            return reservationId.toString().substring(0, 8).toUpperCase(Locale.ROOT);
        }

        /** @return yen received on this line */
        public long in() {
            return kind == LedgerEntry.Kind.PAYMENT ? yen : 0;
        }

        /** @return yen given back on this line */
        public long out() {
            return kind == LedgerEntry.Kind.REFUND ? yen : 0;
        }

        /**
         * @param date     the day, in the facility's zone
         * @param facility the facility's name
         * @return the line as the 日計表 CSV writes it
         */
        public DailyTakings.Entry csv(LocalDate date, String facility) {
            String number = receipt.or(() -> providerRef).orElse("（番号なし）");
            HandledBy by = clerk.<HandledBy>map(HandledBy.Clerk::new)
                    .or(() -> providerRef.map(HandledBy.Provider::new)).orElse(new HandledBy.Clerk("（不明）"));
            return new DailyTakings.Entry(date, facility, kind == LedgerEntry.Kind.REFUND ? "還付 " + number : number,
                    reservationNumber(), PaymentMethod.valueOf(method.name()), by, in(), out());
        }
    }

    /**
     * A day's totals.
     *
     * @param date the day
     * @param in   yen received
     * @param out  yen refunded
     */
    public record DayTotal(LocalDate date, long in, long out) {
        /** @return received minus refunded */
        public long net() {
            return in - out;
        }
    }

    /**
     * A cash refund decided and not yet paid out.
     *
     * @param refundId      the refund
     * @param reservationId its reservation
     * @param yen           what to hand over
     * @param percent       the schedule's rate
     * @param decidedAt     when the cancellation decided it
     * @param receipt       the receipt of the payment it gives back
     * @param facilityId    where
     * @param place         facility and room
     */
    public record PendingCash(UUID refundId, UUID reservationId, long yen, int percent, Instant decidedAt,
                              Optional<String> receipt, long facilityId, String place) {
        /** @return the reservation's number */
        public String reservationNumber() {
            return reservationId.toString().substring(0, 8).toUpperCase(Locale.ROOT);
        }
    }

    /**
     * @param municipalityId the owner
     * @param facilityId     the facility
     * @param date           the day, in {@code zone}
     * @param zone           the facility's zone
     * @return the day's payments and refunds, in the order they happened
     */
    public List<Line> day(long municipalityId, long facilityId, LocalDate date, ZoneId zone) {
        return lines(municipalityId, facilityId, date.atStartOfDay(zone).toInstant(),
                date.plusDays(1).atStartOfDay(zone).toInstant());
    }

    /**
     * @param municipalityId the owner
     * @param facilityId     the facility
     * @param month          the month, in {@code zone}
     * @param zone           the facility's zone
     * @return one total per day of the month, every day listed
     */
    public List<DayTotal> month(long municipalityId, long facilityId, YearMonth month, ZoneId zone) {
        long[] in = new long[month.lengthOfMonth() + 1];
        long[] out = new long[month.lengthOfMonth() + 1];
        for (Line line : lines(municipalityId, facilityId, month.atDay(1).atStartOfDay(zone).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant())) {
            int day = line.at().atZone(zone).getDayOfMonth();
            in[day] = Math.addExact(in[day], line.in());
            out[day] = Math.addExact(out[day], line.out());
        }
        List<DayTotal> days = new ArrayList<>();
        for (int day = 1; day <= month.lengthOfMonth(); day++) {
            days.add(new DayTotal(month.atDay(day), in[day], out[day]));
        }
        return days;
    }

    /**
     * @param town   the municipality
     * @param member who asks (sees the facilities in their scope)
     * @return cash refunds waiting for a clerk, oldest first
     */
    public List<PendingCash> pendingCash(Municipality town, StaffMember member) {
        return Sql.list(db.execute().query(PENDING_CASH, town.id()), row -> new PendingCash(Sql.uuid(row, "id"),
                        Sql.uuid(row, "reservation_id"), Sql.longValue(row, "amount"), Sql.integer(row, "rate_percent"),
                        Sql.instant(row, "created_at"), Sql.optionalText(row, "receipt_number"),
                        Sql.longValue(row, "facility_id"),
                        Sql.text(row, "facility_name") + " " + Sql.text(row, "room_name")))
                .stream().filter(p -> member.mayManage(p.facilityId())).toList();
    }

    /**
     * Records that a clerk handed a cash refund over: the refund succeeds with its ledger entry
     * ({@link Refunds#apply}), then the operation log says who did it. A second press does nothing.
     *
     * @param town     the municipality
     * @param member   the clerk
     * @param actor    who, from where
     * @param refundId the refund
     * @return whether this call paid it out
     * @throws Problem 404 outside the member's scope, 403 for a role that handles no money
     */
    public boolean payOut(Municipality town, StaffMember member, Actor actor, UUID refundId) {
        PendingCash pending = pendingCash(town, member).stream().filter(p -> p.refundId().equals(refundId)).findFirst()
                .orElseThrow(() -> Problem.notFoundWith("refund-not-pending",
                        "No cash refund waiting to be paid out has this number (already paid, or not yours).",
                        "支払待ちの現金還付が見つかりません（支払済み、または担当外です）。"));
        if (!member.may(Permission.MANAGE_BOOKINGS)) {
            throw StaffAuthenticator.forbidden();
        }
        // The refund row, its ledger entry and the clerk's log entry commit together.
        return refunds.apply(refundId, "succeeded", Optional.of(member.id()), tx -> log.append(tx, town.id(), actor,
                Change.of("refund.cash-paid", "refund", refundId, pending.facilityId(), Map.of("status", "pending"),
                        Map.of("status", "succeeded", "yen", pending.yen(),
                                "reservation", pending.reservationId().toString())), clock.instant()));
    }

    private List<Line> lines(long municipalityId, long facilityId, Instant from, Instant until) {
        return Sql.list(db.execute().query(LINES, municipalityId, facilityId, Sql.at(from), Sql.at(until)),
                Takings::line);
    }

    private static Line line(DbRow row) {
        return new Line(Sql.longValue(row, "id"), Sql.instant(row, "created_at"),
                LedgerEntry.Kind.of(Sql.text(row, "kind")), Sql.longValue(row, "amount"),
                Sql.uuid(row, "reservation_id"),
                Payment.Method.valueOf(Sql.text(row, "method").toUpperCase(Locale.ROOT)),
                Sql.optionalText(row, "receipt"), Sql.optionalText(row, "p_ref").or(() -> Sql.optionalText(row, "l_ref")),
                Sql.optionalText(row, "clerk"));
    }
}
