package jp.kominkan.cloud.lottery;

import java.time.Instant;
import java.util.Optional;

import jp.kominkan.cloud.booking.LotteryPeriods;
import jp.kominkan.shared.slot.SlotRange;

/**
 * The lottery's answer to booking: a time overlapping a unit of a round not yet open first-come is the lottery's.
 */
public final class LotteryTimes implements LotteryPeriods {

    private final LotteryRepository repository;

    /**
     * @param repository the lottery's tables
     */
    public LotteryTimes(LotteryRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<Instant> firstComeAt(long roomId, SlotRange range, Instant now) {
        return repository.firstComeAt(roomId, range, now);
    }
}
