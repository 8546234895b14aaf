package jp.kominkan.cloud.booking;

import java.time.Instant;
import java.util.Optional;

import jp.kominkan.shared.slot.SlotRange;

/**
 * Whether a time is a lottery's (抽選期間): its units cannot be booked first-come until the round's second round
 * (先着順) opens, even in the moment between a win lapsing and its units going back to the lottery. Asked by the
 * booking rules; answered by the lottery.
 */
@FunctionalInterface
public interface LotteryPeriods {

    /** No lotteries. */
    LotteryPeriods NONE = (roomId, range, now) -> Optional.empty();

    /**
     * @param roomId the room
     * @param range  the time asked for
     * @param now    now
     * @return when first-come booking opens, when the range overlaps a lottery unit that is not open yet
     */
    Optional<Instant> firstComeAt(long roomId, SlotRange range, Instant now);
}
