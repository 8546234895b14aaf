package jp.kominkan.gateway.door;

import java.util.Map;
import java.util.Objects;

import jp.kominkan.shared.stream.UnlockOrder;

/**
 * Hands a caretaker's remote unlock to its door's controller: the one place where an order from the
 * grant stream meets this gateway's doors. An order for a door this gateway does not drive is
 * refused here (the stream follower counts and logs it); whether it is still on time is the
 * controller's to decide ({@link DoorController#remoteUnlock}).
 */
public final class RemoteUnlocks {

    private final Map<String, DoorController> doors;

    /**
     * @param doors this gateway's doors, by id
     */
    public RemoteUnlocks(Map<String, DoorController> doors) {
        this.doors = Map.copyOf(doors);
    }

    /** @return a router for a gateway with no doors (a test of the stream alone) */
    public static RemoteUnlocks none() {
        return new RemoteUnlocks(Map.of());
    }

    /**
     * @param order an order just applied from the stream
     * @return what became of it
     */
    public Outcome carryOut(UnlockOrder order) {
        Objects.requireNonNull(order, "order");
        DoorController door = doors.get(order.doorId());
        if (door == null) {
            return Outcome.NOT_THIS_GATEWAYS_DOOR;
        }
        return door.remoteUnlock(order) ? Outcome.RELEASED : Outcome.EXPIRED;
    }

    /** What became of an order. */
    public enum Outcome {
        /** The door is released until the order's end. */
        RELEASED,
        /** Too late (or from the future) by this gateway's clock: journalled as {@code denied}, not opened. */
        EXPIRED,
        /** Not a door of this gateway: refused, nothing journalled. */
        NOT_THIS_GATEWAYS_DOOR
    }
}
