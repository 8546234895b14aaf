package jp.kominkan.cloud.caretaking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jp.kominkan.cloud.alarm.Alarm;
import jp.kominkan.cloud.alarm.AlarmKind;
import jp.kominkan.cloud.alarm.Alarms;
import jp.kominkan.cloud.door.DoorFeed;
import jp.kominkan.cloud.fleet.Gateway;
import jp.kominkan.cloud.fleet.JdbcGatewayRepository;

/**
 * Notices gateways gone quiet: one not heard from for {@code offlineAfter} — no event, no ack, no
 * heartbeat (a gateway says where it stands every 15 s) — is offline even if the broker never saw it
 * disconnect (a cut cable, a frozen Pi). Raises {@code gateway-offline} once and clears it when the
 * gateway is heard again; tells the board either way. A gateway never heard from since it was
 * registered is shown as offline but raises nothing: it is not installed yet.
 */
final class Silence {

    private final JdbcGatewayRepository gateways;
    private final Alarms alarms;
    private final DoorFeed feed;
    private final Clock clock;
    private final Duration offlineAfter;
    private final Set<String> offline = ConcurrentHashMap.newKeySet();
    private volatile boolean started;

    Silence(JdbcGatewayRepository gateways, Alarms alarms, DoorFeed feed, Clock clock, Duration offlineAfter) {
        this.gateways = gateways;
        this.alarms = alarms;
        this.feed = feed;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
    }

    void sweep() {
        Instant cutoff = clock.instant().minus(offlineAfter);
        for (Gateway gateway : gateways.inService()) {
            if (gateway.lastSeen().isEmpty()) {
                continue;
            }
            String key = AlarmKind.GATEWAY_OFFLINE.wire() + ":" + gateway.id();
            boolean silent = gateway.lastSeen().get().isBefore(cutoff);
            if (silent && !offline.contains(gateway.id())) {
                // Still silent since before this instance started (a restart, another instance): raised already.
                if (!alarms.uncleared(key)) {
                    alarms.raise(new Alarm.Raise(gateway.municipalityId(), gateway.facilityId(), AlarmKind.GATEWAY_OFFLINE,
                            key, null, gateway.id(), null, null, gateway.name(), gateway.lastSeen().get()));
                }
                offline.add(gateway.id());
                told(gateway);
            } else if (!silent && offline.remove(gateway.id())) {
                alarms.clear(key);
                told(gateway);
            } else if (!silent && !started && alarms.uncleared(key)) {
                // raised before this instance started (a restart, another instance): the gateway is back
                alarms.clear(key);
                told(gateway);
            }
        }
        started = true;
    }

    private void told(Gateway gateway) {
        feed.publish(new DoorFeed.Change(gateway.municipalityId(), gateway.facilityId(), "gateway", gateway.id()));
    }
}
