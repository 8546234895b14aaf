package jp.kominkan.cloud.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jp.kominkan.cloud.door.DoorEventListener;
import jp.kominkan.cloud.door.DoorEventRepository;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.event.EventMessage;

/**
 * Door events from a gateway, checked against what the cloud knows and stored once each; free of
 * MQTT. An event for a door the gateway does not drive is refused and counted — and receipted all
 * the same, since it can never be stored and must not be resent forever.
 */
final class EventIntake {

    private static final System.Logger LOG = System.getLogger(EventIntake.class.getName());

    private final DoorEventRepository events;
    private final GrantStreamRepository stream;
    private final Clock clock;
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final DoorEventListener listener;

    EventIntake(DoorEventRepository events, GrantStreamRepository stream, Clock clock, DoorEventListener listener) {
        this.listener = listener;
        this.events = events;
        this.stream = stream;
        this.clock = clock;
    }

    /**
     * @param gatewayId the gateway, from the topic its certificate may publish on
     * @param payload   the message
     * @return the receipt to send (empty when there is nothing to receipt)
     * @throws IllegalArgumentException when the message is not events, or the gateway is not in service
     */
    Optional<EventMessage.Receipt> take(String gatewayId, byte[] payload) {
        if (!(EventMessage.decode(payload) instanceof EventMessage.Events batch)) {
            throw new IllegalArgumentException("expected events");
        }
        if (!stream.inService(gatewayId)) {
            throw new IllegalArgumentException("unknown or decommissioned gateway");
        }
        Instant now = clock.instant();
        List<UUID> received = new ArrayList<>(batch.events().size());
        for (DoorEvent event : batch.events()) {
            Optional<String> owner = events.gatewayOf(event.doorId());
            if (owner.isEmpty() || !owner.get().equals(gatewayId)) {
                foreign.incrementAndGet();
            } else {
                Optional<UUID> reservation = events.reservationOf(event);
                if (events.storeOnce(event, gatewayId, reservation, now)) {
                    told(gatewayId, event, reservation);
                } else {
                    duplicates.incrementAndGet();
                }
            }
            received.add(event.id());
        }
        stream.seen(gatewayId, now);
        return received.isEmpty() ? Optional.empty() : Optional.of(new EventMessage.Receipt(received));
    }

    /** The event is stored and receipted whatever a listener does; its failure is logged, never resent. */
    private void told(String gatewayId, DoorEvent event, Optional<UUID> reservation) {
        try {
            listener.stored(gatewayId, event, reservation);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Door event " + event.id() + " stored, but the board could not take it: "
                    + e);
        }
    }

    /** @return events refused for doors their gateway does not drive, since start */
    long foreign() {
        return foreign.get();
    }

    /** @return events received again and not stored twice, since start */
    long duplicates() {
        return duplicates.get();
    }
}
