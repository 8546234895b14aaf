package jp.kominkan.cloud.booking;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Who wants to hear at once that a resident cancelled and a room's slots are free again: the waiting list, so
 * the first in line is offered the range without waiting for its timer. A nudge only; the waiting list's sweep
 * finds freed ranges on its own, whatever freed them (a counter cancellation, a hold that lapsed).
 */
public final class FreedSlots {

    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param listener called with the room's id after a cancellation commits
     */
    public void listen(LongConsumer listener) {
        listeners.add(listener);
    }

    void freed(long roomId) {
        for (LongConsumer listener : listeners) {
            listener.accept(roomId);
        }
    }
}
