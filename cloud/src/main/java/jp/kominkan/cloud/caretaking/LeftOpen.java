package jp.kominkan.cloud.caretaking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.alarm.Alarm;
import jp.kominkan.cloud.alarm.AlarmKind;
import jp.kominkan.cloud.alarm.Alarms;
import jp.kominkan.cloud.db.Sql;

/**
 * Left open after use: a door still open, or its lock still unlocked, {@code after} minutes after a
 * booking of its room ended — unless the room's next booking is under way, or so close that its grant
 * already opens the door, or a remote unlock holds the door. Raised once per booking and door
 * (acknowledged, it does not come back for that booking).
 */
final class LeftOpen {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("H:mm");
    private static final String ENDED = """
            select r.id as reservation_id, r.ends_at, r.room_id, m.grant_margin_minutes, d.id as door_id, d.gateway_id,
                   m.facility_id, m.municipality_id, s.contact_state, s.lock_state, t.zone_id
              from reservation r
              join room m on m.id = r.room_id
              join municipality t on t.id = m.municipality_id
              join door d on d.room_id = m.id
              join door_state s on s.door_id = d.id
             where r.status = 'confirmed' and r.ends_at <= ? and r.ends_at > ?
               and (s.contact_state = 'open' or s.lock_state = 'unlocked')
               and (s.remote_until is null or s.remote_until <= ?)""";
    /** The room's next booking under way, or its door open for it already (the grant's margin before its start). */
    private static final String NEXT_UNDER_WAY = """
            select id from reservation where room_id = ? and status = 'confirmed' and starts_at <= ? and ends_at > ?
             limit 1""";

    private final DbClient db;
    private final Alarms alarms;
    private final Clock clock;
    private final Duration after;

    LeftOpen(DbClient db, Alarms alarms, Clock clock, Duration after) {
        this.db = db;
        this.alarms = alarms;
        this.clock = clock;
        this.after = after;
    }

    void sweep() {
        Instant now = clock.instant();
        Instant endedBy = now.minus(after);
        record Found(java.util.UUID reservation, Instant ends, long room, long margin, String door, String gateway,
                     long facility, long town, String contact, String lock, ZoneId zone) {
        }
        List<Found> found = Sql.list(db.execute().query(ENDED, Sql.at(endedBy), Sql.at(endedBy.minus(Duration.ofHours(6))),
                Sql.at(now)), row -> new Found(Sql.uuid(row, "reservation_id"), Sql.instant(row, "ends_at"),
                Sql.longValue(row, "room_id"), Sql.integer(row, "grant_margin_minutes"), Sql.text(row, "door_id"),
                Sql.text(row, "gateway_id"), Sql.longValue(row, "facility_id"), Sql.longValue(row, "municipality_id"),
                Sql.text(row, "contact_state"), Sql.text(row, "lock_state"), ZoneId.of(Sql.text(row, "zone_id"))));
        for (Found f : found) {
            if (db.execute().get(NEXT_UNDER_WAY, f.room(), Sql.at(now.plusSeconds(60 * f.margin())), Sql.at(now)).isPresent()) {
                continue;   // the next group is arriving: the door is theirs now
            }
            String what = "open".equals(f.contact()) ? "扉が開いたまま" : "解錠のまま";
            alarms.raiseOnce(new Alarm.Raise(f.town(), f.facility(), AlarmKind.LEFT_OPEN,
                    AlarmKind.LEFT_OPEN.wire() + ":" + f.reservation() + ":" + f.door(), f.door(), f.gateway(),
                    f.reservation(), null, what + "（" + HH_MM.format(f.ends().atZone(f.zone())) + " 終了の予約）", now));
        }
    }
}
