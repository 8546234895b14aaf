package jp.kominkan.cloud.caretaking;

import java.time.Clock;
import java.time.Duration;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.alarm.AlarmRepository;
import jp.kominkan.cloud.alarm.Alarms;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.door.DoorFeed;
import jp.kominkan.cloud.door.DoorStates;
import jp.kominkan.cloud.fleet.JdbcGatewayRepository;
import jp.kominkan.cloud.mail.MailOutbox;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.operations.OperationLog;

/**
 * The package's pieces wired together (their constructors stay package-private).
 *
 * @param unlocks remote unlocks
 * @param board   the board
 * @param watch   what each door event does
 * @param sweep   the timer's work
 */
public record CaretakingParts(RemoteUnlocks unlocks, DoorBoard board, DoorWatch watch, CaretakingSweep sweep) {

    /**
     * @param db            the database
     * @param states        door states
     * @param alarms        alarms
     * @param alarmTable    the alarm table
     * @param feed          the live feed
     * @param log           the operation log
     * @param outbox        mail
     * @param municipalities municipalities
     * @param shelters      finds a grant's shelter code
     * @param clock         the clock
     * @param offlineAfter  a gateway silent this long is offline
     * @param leftOpenAfter a door still open this long after a booking raises an alarm
     * @param escalateAfter an alarm not acknowledged this long is mailed
     * @return the pieces
     */
    public static CaretakingParts create(DbClient db, DoorStates states, Alarms alarms, AlarmRepository alarmTable,
                                         DoorFeed feed, OperationLog log, MailOutbox outbox, Municipalities municipalities,
                                         ShelterLookup shelters, Clock clock, Duration offlineAfter, Duration leftOpenAfter,
                                         Duration escalateAfter) {
        JdbcGatewayRepository gateways = new JdbcGatewayRepository(db);
        DoorPlaces places = new DoorPlaces(db);
        RemoteUnlocks unlocks = new RemoteUnlocks(db, places, gateways, log, feed, clock, offlineAfter);
        DoorBoard board = new DoorBoard(db, states, clock, offlineAfter);
        DoorEventRepository events = new DoorEventRepository(db);
        DoorWatch watch = new DoorWatch(states, events, places, alarms, unlocks, shelters, log, feed, clock);
        CaretakingSweep sweep = new CaretakingSweep(new Silence(gateways, alarms, feed, clock, offlineAfter),
                new LeftOpen(db, alarms, clock, leftOpenAfter),
                new Escalation(db, alarmTable, outbox, municipalities, clock, escalateAfter), events, watch, clock,
                new jp.kominkan.cloud.db.JobLease(db, clock));
        return new CaretakingParts(unlocks, board, watch, sweep);
    }
}
