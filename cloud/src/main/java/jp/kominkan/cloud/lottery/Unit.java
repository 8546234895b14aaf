package jp.kominkan.cloud.lottery;

import java.util.Objects;
import java.util.Optional;

import jp.kominkan.shared.slot.SlotRange;

/**
 * A unit (抽選枠): one room at one time in a round, what a wish names.
 *
 * @param id      the unit
 * @param roundId its round
 * @param roomId  the room
 * @param range   the time
 * @param label   e.g. 「2月6日(土) 午前 9:00–12:00」
 * @param blockId the lottery block holding it, while it is neither won nor released
 */
public record Unit(long id, long roundId, long roomId, SlotRange range, String label, Optional<Long> blockId) {

    /** Checks the parts are present. */
    public Unit {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(blockId, "blockId");
    }
}
