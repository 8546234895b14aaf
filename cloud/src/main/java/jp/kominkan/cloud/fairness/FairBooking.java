package jp.kominkan.cloud.fairness;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/**
 * Fair booking rules as a resident's booking meets them: the facility's booking window for who books, checked
 * with the room's other rules, and the quota places taken in the booking's transaction. Staff bookings at the
 * counter are not counted against quotas: the counter books for people who cannot book themselves, and staff
 * are trusted with the facility's own judgement.
 */
public final class FairBooking {

    private final DbClient db;
    private final FairnessRepository repository;

    /**
     * @param db the database
     */
    public FairBooking(DbClient db) {
        this.db = db;
        this.repository = new FairnessRepository(db);
    }

    /**
     * @param facilityId the facility
     * @return its rules
     */
    public FacilityRules rules(long facilityId) {
        return repository.rules(facilityId);
    }

    /**
     * Checks that the last day of a booking is open for who books.
     *
     * @param window   the facility's window
     * @param tier     who books
     * @param range    the booking
     * @param zone     the facility's zone
     * @param now      now
     * @throws Problem 409 {@code not-yet-open}, saying when it opens for them
     */
    public static void checkWindow(BookingWindow window, Booker.Tier tier, SlotRange range, ZoneId zone, Instant now) {
        LocalDate last = range.end().minusSeconds(1).atZone(zone).toLocalDate();
        Instant opens = window.opensAt(tier, last, zone);
        if (now.isBefore(opens)) {
            String at = BookingWindow.format(opens, zone);
            throw Problem.conflict("not-yet-open", "Booking " + last + " opens for " + tier.english() + " at " + at
                            + " (Japan time).",
                    tier.japanese() + "は、" + last + " の利用を " + at + " から予約できます。");
        }
    }

    /**
     * The work a booking does in its transaction for its quotas: the booker's rows locked before the reservation
     * is inserted, and its places taken after.
     *
     * @param quotas        the facility's quotas
     * @param booker        who books
     * @param range         the booking
     * @param zone          the facility's zone
     * @param reservationId the reservation
     * @param now           now
     * @return the two steps, doing nothing when no quota counts the booking
     */
    public static Steps steps(List<Quota> quotas, Booker booker, SlotRange range, ZoneId zone, UUID reservationId,
                              Instant now) {
        LocalDate day = range.start().atZone(zone).toLocalDate();
        List<Map.Entry<Quota, Integer>> counting = quotas.stream().filter(q -> q.covers(day))
                .flatMap(q -> q.capFor(booker).map(cap -> Map.entry(q, cap)).stream()).toList();
        if (counting.isEmpty()) {
            return new Steps(tx -> { }, tx -> { });
        }
        boolean group = counting.stream().anyMatch(e -> e.getKey().subject() == Quota.Subject.GROUP);
        return new Steps(tx -> QuotaPlaces.lock(tx, booker, group), tx -> {
            for (Map.Entry<Quota, Integer> rule : counting) {
                QuotaPlaces.take(tx, rule.getKey(), rule.getValue(), booker, day, rule.getKey().units(range),
                        reservationId, now);
            }
        });
    }

    /**
     * What a quote can tell before booking: whether a quota is already full (the booking itself decides).
     *
     * @param quotas the facility's quotas
     * @param booker who books
     * @param range  the booking
     * @param zone   the facility's zone
     * @param now    now
     * @throws Problem 409 {@code quota-full}
     */
    public void precheck(List<Quota> quotas, Booker booker, SlotRange range, ZoneId zone, Instant now) {
        LocalDate day = range.start().atZone(zone).toLocalDate();
        for (Quota q : quotas) {
            Optional<Integer> cap = q.covers(day) ? q.capFor(booker) : Optional.empty();
            if (cap.isEmpty()) {
                continue;
            }
            LocalDate period = q.periodStart(day);
            long used = Sql.longValue(db.execute().get("""
                    select count(*) as n from quota_use u join reservation r on r.id = u.reservation_id
                     where u.subject = ? and u.quota_id = ? and u.period_start = ?
                       and (r.status = 'confirmed' or (r.status = 'held' and r.hold_expires_at > ?))""",
                    q.subjectKey(booker), q.id(), period, Sql.at(now)).orElseThrow(), "n");
            if (used + q.units(range) > q.places(cap.get())) {
                throw QuotaPlaces.full(q, cap.get(), period);
            }
        }
    }

    /**
     * Frees a reservation's quota places, in the transaction that cancels it. Places of bookings that lapsed or
     * were cancelled another way are freed when the booker next books.
     *
     * @param tx            the cancelling transaction
     * @param reservationId the reservation
     */
    public static void free(DbTransaction tx, UUID reservationId) {
        QuotaPlaces.free(tx, reservationId);
    }

    /**
     * The quota work of one booking, for the reservation repository's {@code before} and {@code after}.
     *
     * @param before locks the booker's rows
     * @param after  takes the places
     */
    public record Steps(Consumer<DbTransaction> before, Consumer<DbTransaction> after) {
    }
}
