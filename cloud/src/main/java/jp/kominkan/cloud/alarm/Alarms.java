package jp.kominkan.cloud.alarm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.TextRules;

/**
 * Raising, repeating, clearing and acknowledging door alarms; every change is told to the board.
 */
public final class Alarms {

    /** Longest acknowledgement note. */
    public static final int MAX_NOTE = 500;
    private static final Duration RECENT = Duration.ofDays(7);

    private final DbClient db;
    private final AlarmRepository alarms;
    private final OperationLog log;
    private final Clock clock;
    private final Consumer<Alarm> changed;

    /**
     * @param db      the database
     * @param alarms  the alarm table
     * @param log     the operation log
     * @param clock   the clock
     * @param changed told of every alarm raised, repeated, cleared or acknowledged
     */
    public Alarms(DbClient db, AlarmRepository alarms, OperationLog log, Clock clock, Consumer<Alarm> changed) {
        this.db = db;
        this.alarms = alarms;
        this.log = log;
        this.clock = clock;
        this.changed = changed;
    }

    /**
     * @param raise what happened
     * @return the alarm raised, or the open one it counted on
     */
    public AlarmRepository.Raised raise(Alarm.Raise raise) {
        AlarmRepository.Raised raised = alarms.raise(raise);
        changed.accept(raised.alarm());
        return raised;
    }

    /**
     * Raises an alarm only if one with its key was never raised (left open after a booking: once per booking and door).
     *
     * @param raise what happened
     * @return the alarm, when raised now
     */
    public Optional<Alarm> raiseOnce(Alarm.Raise raise) {
        if (alarms.everRaised(raise.dedupeKey())) {
            return Optional.empty();
        }
        AlarmRepository.Raised raised = raise(raise);
        return raised.isNew() ? Optional.of(raised.alarm()) : Optional.empty();
    }

    /**
     * @param dedupeKey the key of an alarm whose condition went away by itself
     */
    public void clear(String dedupeKey) {
        alarms.clear(dedupeKey, clock.instant()).ifPresent(changed);
    }

    /**
     * @param dedupeKey a key
     * @return whether an alarm with it was ever raised
     */
    public boolean wasRaised(String dedupeKey) {
        return alarms.everRaised(dedupeKey);
    }

    /**
     * @param dedupeKey a key
     * @return whether an alarm with it is neither acknowledged nor cleared, or acknowledged but its condition not
     *         yet gone (a gateway still silent)
     */
    public boolean uncleared(String dedupeKey) {
        return alarms.uncleared(dedupeKey);
    }

    /**
     * @param town  the municipality
     * @param staff who asks
     * @return the alarms in their scope: open ones, and those of the last 7 days
     */
    public List<Alarm> recent(Municipality town, StaffMember staff) {
        return alarms.recent(town.id(), staff.scope(), clock.instant().minus(RECENT), 500);
    }

    /**
     * @param town  the municipality
     * @param staff who asks
     * @param id    the alarm
     * @return it, when in their scope
     * @throws Problem 404 otherwise
     */
    public Alarm one(Municipality town, StaffMember staff, UUID id) {
        return alarms.byId(id, town.id()).filter(a -> staff.may(Permission.VIEW_DOORS, a.facilityId()))
                .orElseThrow(() -> Problem.notFound("alarm", "警報"));
    }

    /**
     * Someone takes an alarm on, with a note saying what they did or will do.
     *
     * @param town  the municipality
     * @param staff who
     * @param actor who, for the log
     * @param id    the alarm
     * @param note  the note
     * @return the alarm after
     * @throws Problem 404 outside their scope, 403 without the permission, 400 for a bad note, 409 when taken on already
     */
    public Alarm acknowledge(Municipality town, StaffMember staff, Actor actor, UUID id, String note) {
        Alarm alarm = one(town, staff, id);
        if (!staff.may(Permission.OPERATE_DOORS, alarm.facilityId())) {
            throw Problem.forbidden("You may not acknowledge alarms.", "警報を確認する権限がありません。");
        }
        String text = note == null ? "" : note.strip();
        if (text.isEmpty() || text.length() > MAX_NOTE || !TextRules.isPlainText(text)) {
            throw Problem.badField("note", "Write a note of 1 to " + MAX_NOTE + " characters.",
                    "対応メモ（1〜" + MAX_NOTE + "文字、制御文字なし）を入力してください。");
        }
        Instant now = clock.instant();
        boolean done = Sql.inTransaction(db, tx -> {
            if (!alarms.acknowledge(tx, alarm.id(), staff.id(), text, now)) {
                return false;
            }
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("kind", alarm.kind().wire());
            after.put("door", alarm.doorId().orElse(null));
            after.put("gateway", alarm.gatewayId().orElse(null));
            after.put("note", text);
            log.append(tx, town.id(), actor, Change.of("alarm.acknowledge", "alarm", alarm.id(), alarm.facilityId(),
                    null, after), now);
            return true;
        });
        if (!done) {
            throw Problem.conflict("already-acknowledged", "This alarm was acknowledged already.",
                    "この警報はすでに確認済みです。");
        }
        Alarm after = alarms.byId(alarm.id(), town.id()).orElseThrow();
        changed.accept(after);
        return after;
    }
}
