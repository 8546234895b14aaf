package jp.kominkan.cloud.fairness;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.web.Problem;

/**
 * Takes a booking's places in its quotas, in the booking's own transaction, so that the database keeps the cap:
 * {@code quota_use}'s primary key gives each numbered place one taker and its check refuses a number beyond the
 * cap. The booker's row ({@code account}, or {@code app_group} for a group) is locked first, before the
 * reservation is inserted, so that concurrent bookings of one booker take turns and each sees the places the one
 * before took: of ten at once against a cap of four, exactly four get in and the others are told the quota is
 * full, never a lost race to retry.
 */
final class QuotaPlaces {

    private static final String LOCK_ACCOUNT = "select id from account where id = ? for update";
    private static final String LOCK_GROUP = "select id from app_group where id = ? for update";
    /** Places of bookings no longer live (cancelled, lapsed, or held past their deadline) are free again. */
    private static final String FREE_DEAD = """
            delete from quota_use where subject = ? and quota_id = ? and period_start = ? and exists (
              select 1 from reservation r where r.id = quota_use.reservation_id
               and (r.status in ('cancelled', 'expired') or (r.status = 'held' and r.hold_expires_at <= ?)))""";
    private static final String TAKEN = """
            select ordinal from quota_use where subject = ? and quota_id = ? and period_start = ?""";
    private static final String INSERT = "insert into quota_use (subject, quota_id, period_start, ordinal, cap,"
            + " reservation_id) values ";

    private QuotaPlaces() {
    }

    /** Locks the booker's rows, before the reservation is inserted. */
    static void lock(DbTransaction tx, Booker booker, boolean group) {
        tx.get(LOCK_ACCOUNT, booker.accountId());
        if (group) {
            booker.groupId().ifPresent(g -> tx.get(LOCK_GROUP, g));
        }
    }

    /**
     * Takes the places of one rule, the lowest free numbers first.
     *
     * @throws Problem 409 {@code quota-full} when the database refuses a number beyond the cap
     */
    static void take(DbTransaction tx, Quota quota, int cap, Booker booker, LocalDate day, int units,
                     UUID reservationId, Instant now) {
        String subject = quota.subjectKey(booker);
        LocalDate period = quota.periodStart(day);
        tx.delete(FREE_DEAD, subject, quota.id(), period, Sql.at(now));
        Set<Integer> taken = new HashSet<>(Sql.list(tx.query(TAKEN, subject, quota.id(), period),
                row -> Sql.integer(row, "ordinal")));
        int places = quota.places(cap);
        List<Object> params = new ArrayList<>(units * 6);
        for (int ordinal = 1, found = 0; found < units; ordinal++) {
            if (!taken.contains(ordinal)) {
                Collections.addAll(params, subject, quota.id(), period, ordinal, places, reservationId);
                found++;
            }
        }
        try {
            tx.insert(INSERT + String.join(", ", Collections.nCopies(units, "(?, ?, ?, ?, ?, ?)")), params.toArray());
        } catch (RuntimeException e) {
            if (!capRefused(e)) {
                throw e;
            }
            throw full(quota, cap, period);
        }
    }

    /** Frees a reservation's places, in the transaction that cancels it. */
    static void free(DbTransaction tx, UUID reservationId) {
        tx.delete("delete from quota_use where reservation_id = ?", reservationId);
    }

    /** @return whether the failure is the cap's check (23513 on H2, 23514 on PostgreSQL) */
    private static boolean capRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().equals("23513") || sql.getSQLState().equals("23514");
            }
        }
        return false;
    }

    static Problem full(Quota quota, int cap, LocalDate period) {
        String when = quota.period() == Quota.Period.MONTH
                ? period.getYear() + "年" + period.getMonthValue() + "月"
                : period + " からの週";
        String whenEn = quota.period() == Quota.Period.MONTH ? period.getYear() + "-"
                + String.format("%02d", period.getMonthValue()) : "the week from " + period;
        return Problem.conflict("quota-full", "Booking limit reached: " + quota.english(cap) + " (" + whenEn
                        + " is full). Cancel a booking or choose another period.",
                "予約の上限に達しています：" + quota.japanese(cap) + "（" + when
                        + "は上限まで予約済みです）。ほかの予約を取り消すか、別の期間を選んでください。");
    }
}
