package jp.kominkan.cloud.fee;

import java.util.Map;

import jp.kominkan.cloud.fee.FeeSchedule.Price;

/**
 * Overrun (延長): time booked outside every booked band, charged per started {@code perMinutes}
 * for each stretch, at the price of the day class. A day class without a price here has no
 * overrun: such time is refused.
 *
 * @param perMinutes the minutes one price buys
 * @param prices     price per day class
 */
public record Overrun(int perMinutes, Map<String, Price> prices) {

    /** Validates. */
    public Overrun {
        prices = Map.copyOf(prices);
        if (perMinutes < 15 || perMinutes > 24 * 60 || perMinutes % 15 != 0) {
            throw new IllegalArgumentException("per-minutes is a multiple of 15 up to a day");
        }
    }
}
