package jp.kominkan.cloud.door;

import java.util.Optional;
import java.util.UUID;

import jp.kominkan.shared.event.DoorEvent;

/**
 * Told of each door event once, right after it was stored for the first time (never for a resent
 * duplicate): the door board's state, alarms and live updates hang here.
 */
@FunctionalInterface
public interface DoorEventListener {

    /** Listens to nothing. */
    DoorEventListener NONE = (gatewayId, event, reservation) -> { };

    /**
     * @param gatewayId   the gateway that sent it
     * @param event       the event
     * @param reservation the booking it belongs to
     */
    void stored(String gatewayId, DoorEvent event, Optional<UUID> reservation);
}
