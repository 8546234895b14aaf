package jp.kominkan.cloud.caretaking;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.alarm.Alarm;
import jp.kominkan.cloud.alarm.AlarmKind;
import jp.kominkan.cloud.alarm.Alarms;
import jp.kominkan.cloud.door.DoorEventListener;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.cloud.door.DoorFeed;
import jp.kominkan.cloud.door.DoorStates;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.shared.door.DoorState;
import jp.kominkan.shared.event.DoorEvent;

/**
 * What the cloud does with each door event, once, after storing it: folds it into the door's state,
 * raises or clears the alarms it stands for, notes a remote unlock carried out, and tells the board.
 *
 * <table>
 *   <caption>Events and alarms</caption>
 *   <tr><th>event</th><th>alarm (dedupe key)</th><th>cleared by</th></tr>
 *   <tr><td>forced-open</td><td>forced-open (door)</td><td>acknowledgement only</td></tr>
 *   <tr><td>held-open</td><td>held-open (door)</td><td>closed</td></tr>
 *   <tr><td>tamper</td><td>tamper (door)</td><td>acknowledgement only</td></tr>
 *   <tr><td>lock-state jammed</td><td>jammed (door)</td><td>lock-state locked / unlocked</td></tr>
 *   <tr><td>battery-low</td><td>battery-low (door)</td><td>battery at 20 % or more</td></tr>
 *   <tr><td>lock-offline</td><td>lock-offline (door)</td><td>lock-online</td></tr>
 *   <tr><td>lockout</td><td>lockout (door)</td><td>acknowledgement only</td></tr>
 *   <tr><td>unlocked by a shelter code</td><td>shelter-code-used (the event)</td><td>acknowledgement only</td></tr>
 * </table>
 */
public final class DoorWatch implements DoorEventListener {

    private final DoorStates states;
    private final DoorEventRepository events;
    private final DoorPlaces places;
    private final Alarms alarms;
    private final RemoteUnlocks unlocks;
    private final ShelterLookup shelters;
    private final OperationLog log;
    private final DoorFeed feed;
    private final Clock clock;

    /**
     * @param states   door states
     * @param events   door events (marked taken once handled)
     * @param places   where doors are
     * @param alarms   alarms
     * @param unlocks  remote unlocks
     * @param shelters finds a grant's shelter code
     * @param log      the operation log (a shelter code's use is written there)
     * @param feed     the board's live feed
     * @param clock    the clock
     */
    public DoorWatch(DoorStates states, DoorEventRepository events, DoorPlaces places, Alarms alarms, RemoteUnlocks unlocks,
                     ShelterLookup shelters, OperationLog log, DoorFeed feed, Clock clock) {
        this.states = states;
        this.events = events;
        this.places = places;
        this.alarms = alarms;
        this.unlocks = unlocks;
        this.shelters = shelters;
        this.log = log;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public void stored(String gatewayId, DoorEvent event, Optional<UUID> reservation) {
        Optional<DoorPlaces.Place> place = places.of(event.doorId());
        if (place.isEmpty()) {
            events.processed(event.id(), clock.instant());
            return;
        }
        DoorPlaces.Place p = place.get();
        String door = event.doorId();
        switch (event.type()) {
            case FORCED_OPEN -> raise(p, AlarmKind.FORCED_OPEN, door, gatewayId, event, reservation, null);
            case HELD_OPEN -> raise(p, AlarmKind.HELD_OPEN, door, gatewayId, event, reservation, null);
            case CLOSED -> alarms.clear(key(AlarmKind.HELD_OPEN, door));
            case TAMPER -> {
                if (!event.reason().map("cleared"::equals).orElse(false)) {
                    raise(p, AlarmKind.TAMPER, door, gatewayId, event, reservation, event.reason().orElse(null));
                }
            }
            case LOCK_STATE -> {
                if (event.reason().map("jammed"::equals).orElse(false)) {
                    raise(p, AlarmKind.JAMMED, door, gatewayId, event, reservation, null);
                } else {
                    alarms.clear(key(AlarmKind.JAMMED, door));
                }
            }
            case BATTERY_LOW -> raise(p, AlarmKind.BATTERY_LOW, door, gatewayId, event, reservation,
                    event.reason().orElse(null));
            case BATTERY -> {
                if (DoorState.UNKNOWN.after(event, reservation).battery().filter(level -> level >= 20).isPresent()) {
                    alarms.clear(key(AlarmKind.BATTERY_LOW, door));
                }
            }
            case LOCK_OFFLINE -> raise(p, AlarmKind.LOCK_OFFLINE, door, gatewayId, event, reservation, null);
            case LOCK_ONLINE -> alarms.clear(key(AlarmKind.LOCK_OFFLINE, door));
            case LOCKOUT -> raise(p, AlarmKind.LOCKOUT, door, gatewayId, event, reservation, event.reason().orElse(null));
            case UNLOCKED -> event.grantId().flatMap(shelters::useOf).ifPresent(use -> shelterUsed(p, gatewayId, event, use));
            case REMOTE_UNLOCKED -> event.grantId()
                    .ifPresent(order -> unlocks.carriedOut(order, door, gatewayId, event.at()));
            default -> {
                // opened, relocked, denied, lock-online: the state is enough
            }
        }
        // The state after the alarms, and the event marked taken last: a failure on the way leaves it to the
        // sweep (CaretakingSweep), which takes it again, so no alarm is lost with the gateway's receipt sent.
        states.apply(event, reservation, clock.instant());
        events.processed(event.id(), clock.instant());
        feed.publish(new DoorFeed.Change(p.municipalityId(), p.facilityId(), "door", door));
    }

    /**
     * A shelter code's use: written to the log, then raised. Taken again after a failure (the sweep), a use
     * whose alarm exists is done; one whose alarm failed is logged once more rather than lost.
     */
    private void shelterUsed(DoorPlaces.Place p, String gatewayId, DoorEvent event, ShelterLookup.Use use) {
        String key = AlarmKind.SHELTER_CODE_USED.wire() + ":" + event.id();
        if (alarms.wasRaised(key)) {
            return;
        }
        log.append(p.municipalityId(), new Actor(Optional.empty(), "gateway", gatewayId),
                Change.of("shelter-code.use", "shelter-code", use.shelterCodeId(), p.facilityId(), null,
                        Map.of("door", event.doorId(), "at", event.at().toString(), "holder", use.holder())),
                clock.instant());
        alarms.raise(new Alarm.Raise(p.municipalityId(), p.facilityId(), AlarmKind.SHELTER_CODE_USED, key,
                event.doorId(), gatewayId, null, event.id(), use.holder(), event.at()));
    }

    private void raise(DoorPlaces.Place p, AlarmKind kind, String door, String gatewayId, DoorEvent event,
                       Optional<UUID> reservation, String detail) {
        alarms.raise(new Alarm.Raise(p.municipalityId(), p.facilityId(), kind, key(kind, door), door, gatewayId,
                reservation.orElse(null), event.id(), detail, event.at()));
    }

    static String key(AlarmKind kind, String doorId) {
        return kind.wire() + ":" + doorId;
    }
}
