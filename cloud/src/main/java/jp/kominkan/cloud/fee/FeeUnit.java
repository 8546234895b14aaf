package jp.kominkan.cloud.fee;

import java.util.Map;
import java.util.Objects;

import jp.kominkan.cloud.fee.FeeSchedule.Price;
import jp.kominkan.cloud.fee.FeeSchedule.Window;

/**
 * Something a schedule sells: a band (午前, 午後①…), a full day (全日, with its own price, which is
 * not the sum of the bands: 鉾田 大集会室 2,620 yen against 3,670), or hourly use. A unit exists on
 * the day classes it has a price for; its times may differ on some of them (横浜 杉田 午後② is
 * 15–18 on 月〜土 and 15–17 on 日祝, at its own price).
 */
public sealed interface FeeUnit permits FeeUnit.Band, FeeUnit.FullDay, FeeUnit.Hourly {

    /** @return the code, as the table writes it (午前) */
    String code();

    /** @return the label in Japanese */
    String labelJa();

    /** @return the label in English */
    String labelEn();

    /** @return the usual window */
    Window window();

    /** @return other windows on some day classes */
    Map<String, Window> times();

    /** @return the price per day class; the unit exists on these day classes only */
    Map<String, Price> prices();

    /** @return the document's name for the kind */
    String kind();

    /**
     * @param dayClass a day class name
     * @return the window on that day class
     */
    default Window windowOn(String dayClass) {
        return times().getOrDefault(dayClass, window());
    }

    private static void check(String code, String labelJa, String labelEn, Window window, Map<String, Window> times,
                              Map<String, Price> prices) {
        Objects.requireNonNull(window);
        Objects.requireNonNull(times);
        if (code.isBlank() || labelJa.isBlank() || labelEn.isBlank() || prices.isEmpty()) {
            throw new IllegalArgumentException("a unit needs a code, labels and at least one price");
        }
    }

    /**
     * A band (時間帯区分): booked whole; any overlap charges all of it.
     *
     * @param code    code
     * @param labelJa Japanese label
     * @param labelEn English label
     * @param window  usual window
     * @param times   other windows by day class
     * @param prices  price by day class
     */
    record Band(String code, String labelJa, String labelEn, Window window, Map<String, Window> times,
                Map<String, Price> prices) implements FeeUnit {

        /** Validates. */
        public Band {
            times = Map.copyOf(times);
            prices = Map.copyOf(prices);
            check(code, labelJa, labelEn, window, times, prices);
        }

        @Override
        public String kind() {
            return "band";
        }
    }

    /**
     * A full day (全日, 1日): charged when a booking covers exactly its window.
     *
     * @param code    code
     * @param labelJa Japanese label
     * @param labelEn English label
     * @param window  usual window
     * @param times   other windows by day class
     * @param prices  price by day class
     */
    record FullDay(String code, String labelJa, String labelEn, Window window, Map<String, Window> times,
                   Map<String, Price> prices) implements FeeUnit {

        /** Validates. */
        public FullDay {
            times = Map.copyOf(times);
            prices = Map.copyOf(prices);
            check(code, labelJa, labelEn, window, times, prices);
        }

        @Override
        public String kind() {
            return "full-day";
        }
    }

    /**
     * Hourly use (時間単位): yen per {@code perMinutes} within its window.
     *
     * @param code       code
     * @param labelJa    Japanese label
     * @param labelEn    English label
     * @param window     usual window
     * @param times      other windows by day class
     * @param prices     yen per {@code perMinutes}, by day class
     * @param perMinutes the minutes the price is for
     * @param charge     how a part of {@code perMinutes} is charged
     */
    record Hourly(String code, String labelJa, String labelEn, Window window, Map<String, Window> times,
                  Map<String, Price> prices, int perMinutes, Charge charge) implements FeeUnit {

        /** Validates. */
        public Hourly {
            times = Map.copyOf(times);
            prices = Map.copyOf(prices);
            check(code, labelJa, labelEn, window, times, prices);
            Objects.requireNonNull(charge);
            if (perMinutes < 15 || perMinutes > 24 * 60 || perMinutes % 15 != 0) {
                throw new IllegalArgumentException("per-minutes is a multiple of 15 up to a day");
            }
        }

        @Override
        public String kind() {
            return "hourly";
        }
    }

    /** How a part of the priced minutes is charged. */
    enum Charge {
        /**
         * Pro rata by the minute, summed over the booking and truncated to the yen once: the rule
         * of the flat hourly price ({@code BookingService.reservationFor}: price × slots / 4).
         */
        PRO_RATA("pro-rata"),
        /** Each started period in full, per stretch of use. */
        PER_STARTED("per-started");

        private final String wire;

        Charge(String wire) {
            this.wire = wire;
        }

        /** @return the name in the document */
        public String wire() {
            return wire;
        }
    }
}
