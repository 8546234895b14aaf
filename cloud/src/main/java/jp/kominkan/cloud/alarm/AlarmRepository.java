package jp.kominkan.cloud.alarm;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * Door alarms ({@code door_alarm}, owned here). The database keeps one open alarm per dedupe key:
 * {@code open_key} holds the key while the alarm is neither acknowledged nor cleared and is unique,
 * so a repeated occurrence — a door forced again, a gateway still silent, the same event resent —
 * counts on the open alarm instead of raising another, even when two instances race.
 */
public final class AlarmRepository {

    private static final String COLUMNS = """
            id, municipality_id, facility_id, kind, dedupe_key, door_id, gateway_id, reservation_id, detail, raised_at,
            last_at, occurrences, escalated_at, acknowledged_at, acknowledged_by, note, cleared_at""";
    /**
     * One more occurrence; an alarm mailed about more than {@link #MAIL_AGAIN} ago and still not taken on is due to be
     * mailed again (a door forced again while the mail went unread).
     */
    private static final String REPEAT = """
            update door_alarm set last_at = ?, occurrences = occurrences + 1,
                   escalated_at = case when escalated_at < ? then null else escalated_at end
             where open_key = ?""";
    /** A repeated occurrence mails again only this long after the last mail. */
    static final java.time.Duration MAIL_AGAIN = java.time.Duration.ofMinutes(10);
    private static final String INSERT = """
            insert into door_alarm (id, municipality_id, facility_id, kind, dedupe_key, open_key, door_id, gateway_id,
                                    reservation_id, event_id, detail, raised_at, last_at, occurrences)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""";
    private static final String OPEN_BY_KEY = "select " + COLUMNS + " from door_alarm where open_key = ?";
    private static final String BY_ID = "select " + COLUMNS + " from door_alarm where id = ? and municipality_id = ?";

    private final DbClient db;

    /**
     * @param db the database
     */
    public AlarmRepository(DbClient db) {
        this.db = db;
    }

    /**
     * Raises an alarm, or counts one more occurrence on the open alarm with the same key.
     *
     * @param raise what happened
     * @return the alarm, and whether it is new
     */
    public Raised raise(Alarm.Raise raise) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (db.execute().dml(REPEAT, Sql.at(raise.at()), Sql.at(raise.at().minus(MAIL_AGAIN)), raise.dedupeKey()) > 0) {
                return new Raised(openByKey(raise.dedupeKey()).orElseThrow(), false);
            }
            UUID id = UUID.randomUUID();
            try {
                db.execute().insert(INSERT, id, raise.municipalityId(), raise.facilityId(), raise.kind().wire(),
                        raise.dedupeKey(), raise.dedupeKey(), raise.doorId(), raise.gatewayId(), raise.reservationId(),
                        raise.eventId(), raise.detail(), Sql.at(raise.at()), Sql.at(raise.at()));
                return new Raised(openByKey(raise.dedupeKey()).orElseThrow(), true);
            } catch (RuntimeException e) {
                if (SqlFailure.of(e) != SqlFailure.UNIQUE_VIOLATION) {
                    throw e;
                }
                // another instance raised it a moment ago: count on that one
            }
        }
        throw new IllegalStateException("Could not raise alarm " + raise.dedupeKey());
    }

    /**
     * Marks the alarms with this key cleared: their condition went away by itself.
     *
     * @param dedupeKey the key
     * @param now       now
     * @return the latest alarm cleared, if one had not cleared
     */
    public Optional<Alarm> clear(String dedupeKey, Instant now) {
        Optional<Alarm> latest = db.execute().get("select " + COLUMNS + " from door_alarm where dedupe_key = ?"
                + " and cleared_at is null order by raised_at desc limit 1", dedupeKey).map(AlarmRepository::map);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        // Acknowledged ones too: the history says when the condition went away.
        db.execute().dml("update door_alarm set cleared_at = ?, open_key = null where dedupe_key = ? and cleared_at is null",
                Sql.at(now), dedupeKey);
        return byId(latest.get().id(), latest.get().municipalityId());
    }

    /**
     * @param dedupeKey a key
     * @return whether an alarm with it has not cleared (open, or acknowledged while its condition lasts)
     */
    public boolean uncleared(String dedupeKey) {
        return db.execute().get("select id from door_alarm where dedupe_key = ? and cleared_at is null limit 1", dedupeKey)
                .isPresent();
    }

    /**
     * @param tx      the transaction (with the operation log entry)
     * @param id      the alarm
     * @param staffId who
     * @param note    their note
     * @param now     now
     * @return whether it was open and is now acknowledged
     */
    public boolean acknowledge(DbTransaction tx, UUID id, UUID staffId, String note, Instant now) {
        return tx.dml("""
                update door_alarm set acknowledged_at = ?, acknowledged_by = ?, note = ?, open_key = null
                 where id = ? and acknowledged_at is null""", Sql.at(now), staffId, note, id) == 1;
    }

    /**
     * @param dedupeKey a key
     * @return whether an alarm with it was ever raised (a booking's left-open alarm is raised once, even after
     *         it was acknowledged)
     */
    public boolean everRaised(String dedupeKey) {
        return db.execute().get("select id from door_alarm where dedupe_key = ? limit 1", dedupeKey).isPresent();
    }

    /**
     * @param id             an alarm
     * @param municipalityId its municipality
     * @return the alarm
     */
    public Optional<Alarm> byId(UUID id, long municipalityId) {
        return db.execute().get(BY_ID, id, municipalityId).map(AlarmRepository::map);
    }

    /**
     * @param dedupeKey a key
     * @return the open alarm with it
     */
    public Optional<Alarm> openByKey(String dedupeKey) {
        return db.execute().get(OPEN_BY_KEY, dedupeKey).map(AlarmRepository::map);
    }

    /**
     * @param municipalityId the municipality
     * @param facilities     the facilities in scope; empty for all
     * @param since          alarms raised, or still open, since then
     * @param limit          most to return
     * @return open alarms first (newest first), then the others newest first
     */
    public List<Alarm> recent(long municipalityId, Optional<Set<Long>> facilities, Instant since, int limit) {
        String scope = facilities.map(f -> f.isEmpty() ? " and 1 = 0" : " and facility_id in (" + Sql.marks(f.size()) + ")")
                .orElse("");
        List<Object> params = new java.util.ArrayList<>();
        params.add(municipalityId);
        facilities.ifPresent(params::addAll);
        params.add(Sql.at(since));
        params.add(limit);
        return Sql.list(db.execute().query("select " + COLUMNS + " from door_alarm where municipality_id = ?" + scope
                + " and (open_key is not null or raised_at >= ?)"
                + " order by case when open_key is null then 1 else 0 end, raised_at desc limit ?", params.toArray()),
                AlarmRepository::map);
    }

    /**
     * @param raisedBefore raised before then
     * @param limit        most
     * @return open alarms nobody took on and nobody was mailed about yet
     */
    public List<Alarm> dueForEscalation(Instant raisedBefore, int limit) {
        return Sql.list(db.execute().query("select " + COLUMNS + " from door_alarm where open_key is not null"
                + " and acknowledged_at is null and escalated_at is null and raised_at <= ? order by raised_at limit ?",
                Sql.at(raisedBefore), limit), AlarmRepository::map);
    }

    /**
     * @param tx  the transaction that also writes the mail to the outbox
     * @param id  the alarm
     * @param now now
     * @return whether this call marked it (so exactly one instance mails)
     */
    public boolean markEscalated(DbTransaction tx, UUID id, Instant now) {
        return tx.dml("update door_alarm set escalated_at = ? where id = ? and escalated_at is null and acknowledged_at is null",
                Sql.at(now), id) == 1;
    }

    /**
     * @param reservationId a booking
     * @return alarms that belong to it, oldest first
     */
    public List<Alarm> forReservation(UUID reservationId) {
        return Sql.list(db.execute().query("select " + COLUMNS + " from door_alarm where reservation_id = ? order by raised_at",
                reservationId), AlarmRepository::map);
    }

    static Alarm map(DbRow row) {
        return new Alarm(Sql.uuid(row, "id"), Sql.longValue(row, "municipality_id"), Sql.longValue(row, "facility_id"),
                AlarmKind.of(Sql.text(row, "kind")), Sql.text(row, "dedupe_key"), Sql.optionalText(row, "door_id"),
                Sql.optionalText(row, "gateway_id"), uuid(row, "reservation_id"), Sql.optionalText(row, "detail"),
                Sql.instant(row, "raised_at"), Sql.instant(row, "last_at"), Sql.integer(row, "occurrences"),
                Sql.optionalInstant(row, "escalated_at"), Sql.optionalInstant(row, "acknowledged_at"),
                uuid(row, "acknowledged_by"), Sql.optionalText(row, "note"), Sql.optionalInstant(row, "cleared_at"));
    }

    private static Optional<UUID> uuid(DbRow row, String column) {
        return Sql.value(row, column).map(v -> UUID.fromString(v.toString()));
    }

    /**
     * An alarm raised or repeated.
     *
     * @param alarm the alarm
     * @param isNew whether this raised it (false: one more occurrence on an open one)
     */
    public record Raised(Alarm alarm, boolean isNew) {
    }
}
