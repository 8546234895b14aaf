package jp.kominkan.gateway.site;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.shared.event.DoorEvent;

/**
 * What smart locks report about themselves, turned into door events. A report is always the
 * lock's whole current state, never a change ({@code {"state":"locked","battery":91}}, optionally
 * {@code "tamper":true}): observe notifications may be skipped (RFC 7641 sends only the newest),
 * so a lost one costs nothing. An event is written only when something changed: a new state; the
 * battery level on the first report that has one and whenever it moved {@value #BATTERY_STEP} points
 * or more from the level last journalled ({@code battery}), and its falling below {@value #LOW_BATTERY} %
 * ({@code battery-low}); a tamper switch, and its clearing ({@code tamper} with {@code cleared}); the
 * lock going offline or coming back.
 */
public final class LockReports {

    /** Battery percentage below which a {@code battery-low} event is written. */
    public static final int LOW_BATTERY = 20;
    /** A battery level this far from the one last journalled is journalled again. */
    public static final int BATTERY_STEP = 5;
    /** Largest report accepted. */
    public static final int MAX_BYTES = 256;

    private final Map<String, DoorController> locks;
    private final Map<String, Seen> seen = new HashMap<>();

    /**
     * @param locks the site link's locks, by device id
     */
    public LockReports(Map<String, DoorController> locks) {
        this.locks = Map.copyOf(locks);
    }

    /**
     * A lock's report.
     *
     * @param lockId  the authenticated lock
     * @param payload its JSON
     * @throws IllegalArgumentException when it is not a report (the transport logs and counts it)
     */
    public void report(String lockId, byte[] payload) {
        DoorController door = locks.get(lockId);
        if (door == null) {
            throw new IllegalArgumentException("this device is not a lock");
        }
        if (payload.length > MAX_BYTES) {
            throw new IllegalArgumentException("a lock report is at most " + MAX_BYTES + " bytes");
        }
        CBORObject json;
        try {
            json = CBORObject.FromJSONString(new String(payload, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a lock report is JSON");
        }
        CBORObject state = json.getType() == CBORType.Map ? json.get("state") : null;
        if (state == null || state.getType() != CBORType.TextString) {
            throw new IllegalArgumentException("a lock report has a \"state\" string");
        }
        String value = state.AsString();
        if (value.equals("offline")) {
            // The lock's MQTT last will: it dropped off the building network.
            unreachable(lockId);
            return;
        }
        if (!value.equals("locked") && !value.equals("unlocked") && !value.equals("jammed")) {
            throw new IllegalArgumentException("state is locked, unlocked, jammed or offline");
        }
        Integer battery = null;
        CBORObject b = json.get("battery");
        if (b != null) {
            // An integer as JSON writes it: a decimal like 1e99999999 would take minutes to convert.
            if (b.getType() != CBORType.Integer || !b.CanValueFitInInt32() || b.AsInt32Value() < 0 || b.AsInt32Value() > 100) {
                throw new IllegalArgumentException("battery is a whole number from 0 to 100");
            }
            battery = b.AsInt32Value();
        }
        CBORObject t = json.get("tamper");
        boolean tamper = t != null && t.getType() == CBORType.Boolean && t.AsBoolean();
        Seen before;
        Seen now;
        boolean batteryMoved;
        synchronized (this) {
            before = seen.getOrDefault(lockId, Seen.NONE);
            batteryMoved = battery != null && (before.journalledBattery == null
                    || Math.abs(battery - before.journalledBattery) >= BATTERY_STEP);
            now = new Seen(true, value, battery == null ? before.battery : battery, tamper,
                    batteryMoved ? battery : before.journalledBattery);
            seen.put(lockId, now);
        }
        if (!before.online && before != Seen.NONE) {
            door.report(DoorEvent.Type.LOCK_ONLINE, Optional.empty());
        }
        // Against the door's own state too: a grant's "unlocked" whose lock-state notification was coalesced away
        // (RFC 7641 sends only the newest) must not leave the door unlocked in everyone's eyes but the lock's.
        if (!value.equals(before.state) || !value.equals(door.state().lock().wire())) {
            door.report(DoorEvent.Type.LOCK_STATE, Optional.of(value));
        }
        if (batteryMoved) {
            door.report(DoorEvent.Type.BATTERY, Optional.of("battery=" + now.battery));
        }
        if (now.battery != null && now.battery < LOW_BATTERY && (before.battery == null || before.battery >= LOW_BATTERY)) {
            door.report(DoorEvent.Type.BATTERY_LOW, Optional.of("battery=" + now.battery));
        }
        if (tamper && !before.tamper) {
            door.report(DoorEvent.Type.TAMPER, Optional.of("lock"));
        } else if (!tamper && before.tamper) {
            door.report(DoorEvent.Type.TAMPER, Optional.of("cleared"));
        }
    }

    /**
     * The lock stopped answering (its observation failed, or its last will arrived).
     *
     * @param lockId the lock
     */
    public void unreachable(String lockId) {
        DoorController door = locks.get(lockId);
        if (door == null) {
            return;
        }
        boolean wasOnline;
        synchronized (this) {
            Seen before = seen.getOrDefault(lockId, Seen.NONE);
            wasOnline = before.online || before == Seen.NONE;
            seen.put(lockId, new Seen(false, null, before.battery, before.tamper, before.journalledBattery));
        }
        if (wasOnline) {
            door.report(DoorEvent.Type.LOCK_OFFLINE, Optional.empty());
        }
    }

    /** What a lock last said, and the battery level last journalled as {@code battery}. */
    private record Seen(boolean online, String state, Integer battery, boolean tamper, Integer journalledBattery) {
        static final Seen NONE = new Seen(true, null, null, false, null);
    }
}
