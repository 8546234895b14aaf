package jp.kominkan.cloud.fee;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jp.kominkan.shared.calendar.JapaneseHolidays;

/**
 * A room's fee schedule (使用料表) as an ordinance writes it: day classes, the units one can book
 * (bands, a full day, hourly use), overrun (延長), surcharges by purpose (加算), late-booking
 * discounts (直前割引), seasonal items (冷暖房費) and the rounding rule. Parsed from, and written
 * to, a declarative JSON document by {@link FeeSchedules}; priced by {@link FeeCalculator}.
 * The constructor checks the cross-references (prices name known day classes, bands do not
 * overlap) and reports them with the document path, so a document and a record built in code
 * fail alike.
 *
 * @param source        the ordinance and article, or the URL the table was read from
 * @param dayClasses    the day classes, in the order the table lists them
 * @param units         what can be booked
 * @param overrun       time outside every booked band, when the schedule allows it
 * @param surcharges    surcharges by purpose or residency
 * @param lateDiscounts discounts for late bookings
 * @param seasonal      seasonal items
 * @param rounding      how the total is rounded
 */
public record FeeSchedule(String source, List<DayClass> dayClasses, List<FeeUnit> units, Optional<Overrun> overrun,
                          Surcharges surcharges, List<LateDiscount> lateDiscounts, List<SeasonalItem> seasonal,
                          Rounding rounding) {

    /** Largest price the document accepts, so that sums stay far from overflow. */
    public static final long MAX_YEN = 100_000_000L;

    /** Validates and cross-checks. */
    public FeeSchedule {
        Objects.requireNonNull(source);
        dayClasses = List.copyOf(dayClasses);
        units = List.copyOf(units);
        Objects.requireNonNull(overrun);
        Objects.requireNonNull(surcharges);
        lateDiscounts = List.copyOf(lateDiscounts);
        seasonal = List.copyOf(seasonal);
        Objects.requireNonNull(rounding);
        if (source.isBlank()) {
            throw new FeeScheduleException("source", "出典（条例名・条番号または URL）を書いてください。",
                    "Name the source: the ordinance and article, or the URL.");
        }
        checkDayClasses(dayClasses);
        Set<String> names = new LinkedHashSet<>();
        dayClasses.forEach(d -> names.add(d.name()));
        checkUnits(units, names);
        overrun.ifPresent(o -> checkKeys("overrun.prices", o.prices().keySet(), names));
        Set<String> codes = new HashSet<>();
        units.forEach(u -> codes.add(u.code()));
        for (int i = 0; i < lateDiscounts.size(); i++) {
            for (String code : lateDiscounts.get(i).units()) {
                if (!codes.contains(code)) {
                    throw new FeeScheduleException("late-discounts[" + i + "].units",
                            "区分「" + code + "」は units にありません。", "There is no unit \"" + code + "\" in units.");
                }
            }
        }
    }

    /**
     * @param date a local date in the facility's zone
     * @return its day class; empty when the table prices no day like it (a closed weekday)
     */
    public Optional<DayClass> dayClassOf(LocalDate date) {
        if (holiday(date)) {
            for (DayClass d : dayClasses) {
                if (d.holiday()) {
                    return Optional.of(d);
                }
            }
        }
        for (DayClass d : dayClasses) {
            if (d.weekdays().contains(date.getDayOfWeek())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Computed holidays per year, kept: they are the law's, not state (every instance computes the same). */
    private static final Map<Integer, Set<LocalDate>> HOLIDAYS = new ConcurrentHashMap<>();

    private static boolean holiday(LocalDate date) {
        return HOLIDAYS.computeIfAbsent(date.getYear(), y -> Set.copyOf(JapaneseHolidays.of(y).keySet())).contains(date);
    }

    private static void checkDayClasses(List<DayClass> dayClasses) {
        if (dayClasses.isEmpty()) {
            throw new FeeScheduleException("day-classes", "曜日区分を 1 つ以上書いてください。",
                    "Define at least one day class.");
        }
        Set<String> names = new HashSet<>();
        EnumSet<DayOfWeek> seen = EnumSet.noneOf(DayOfWeek.class);
        boolean holiday = false;
        for (int i = 0; i < dayClasses.size(); i++) {
            DayClass d = dayClasses.get(i);
            String path = "day-classes[" + i + "]";
            if (!names.add(d.name())) {
                throw new FeeScheduleException(path + ".name", "曜日区分「" + d.name() + "」が 2 回あります。",
                        "Day class \"" + d.name() + "\" is defined twice.");
            }
            for (DayOfWeek w : d.weekdays()) {
                if (!seen.add(w)) {
                    throw new FeeScheduleException(path + ".weekdays", "曜日 " + w.getValue() + " が 2 つの区分にあります。",
                            "Weekday " + w.getValue() + " is in two day classes.");
                }
            }
            if (d.holiday() && holiday) {
                throw new FeeScheduleException(path + ".holiday", "祝日を含む区分は 1 つだけにしてください。",
                        "Only one day class may contain the public holidays.");
            }
            holiday |= d.holiday();
        }
    }

    private static void checkUnits(List<FeeUnit> units, Set<String> names) {
        if (units.isEmpty()) {
            throw new FeeScheduleException("units", "区分（units）を 1 つ以上書いてください。", "Define at least one unit.");
        }
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < units.size(); i++) {
            FeeUnit u = units.get(i);
            String path = "units[" + i + "]";
            if (!codes.add(u.code())) {
                throw new FeeScheduleException(path + ".code", "区分コード「" + u.code() + "」が 2 回あります。",
                        "Unit code \"" + u.code() + "\" is used twice.");
            }
            checkKeys(path + ".prices", u.prices().keySet(), names);
            checkKeys(path + ".times", u.times().keySet(), names);
            for (String d : u.times().keySet()) {
                if (!u.prices().containsKey(d)) {
                    throw new FeeScheduleException(path + ".times." + d, "区分「" + d + "」には料金がないので時間も書けません。",
                            "This unit has no price on \"" + d + "\", so it cannot have times there.");
                }
            }
            for (int j = 0; j < i; j++) {
                FeeUnit other = units.get(j);
                for (String d : u.prices().keySet()) {
                    if (!other.prices().containsKey(d) || !clash(u, other)) {
                        continue;
                    }
                    Window a = u.windowOn(d);
                    Window b = other.windowOn(d);
                    if (a.overlaps(b)) {
                        throw new FeeScheduleException(path, "「" + d + "」の " + a + " が区分「" + other.code() + "」の " + b
                                + " と重なっています。", "On \"" + d + "\", " + a + " overlaps unit \"" + other.code()
                                + "\" at " + b + ".");
                    }
                }
                if (u instanceof FeeUnit.FullDay && other instanceof FeeUnit.FullDay) {
                    for (String d : u.prices().keySet()) {
                        if (other.prices().containsKey(d)) {
                            throw new FeeScheduleException(path, "「" + d + "」に全日区分が 2 つあります。",
                                    "Two full-day units on \"" + d + "\".");
                        }
                    }
                }
            }
        }
    }

    /** Bands and hourly units share the day; a full day lies over the bands by design. */
    private static boolean clash(FeeUnit a, FeeUnit b) {
        return !(a instanceof FeeUnit.FullDay) && !(b instanceof FeeUnit.FullDay);
    }

    private static void checkKeys(String path, Set<String> keys, Set<String> names) {
        for (String key : keys) {
            if (!names.contains(key)) {
                throw new FeeScheduleException(path + "." + key, "曜日区分「" + key + "」は day-classes にありません（"
                        + String.join("、", names) + "）。", "Unknown day class \"" + key + "\"; day-classes defines "
                        + String.join(", ", names) + ".");
            }
        }
    }

    /**
     * A day class (曜日区分) such as 平日, 土日祝, 月〜土 or 日祝: some ISO weekdays, and perhaps the
     * public holidays (振替休日 and 国民の休日 included), which then take precedence over the weekday.
     *
     * @param name     as the table writes it
     * @param weekdays the weekdays it covers
     * @param holiday  whether public holidays belong to it, whatever their weekday
     */
    public record DayClass(String name, Set<DayOfWeek> weekdays, boolean holiday) {

        /** Validates. */
        public DayClass {
            Objects.requireNonNull(name);
            weekdays = weekdays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(weekdays));
            if (name.isBlank() || (weekdays.isEmpty() && !holiday)) {
                throw new IllegalArgumentException("a day class needs a name and some days");
            }
        }
    }

    /**
     * A price for residents (市内) and for everyone else (市外); equal when the table has one price.
     *
     * @param resident    yen for a resident applicant
     * @param nonResident yen for anyone else
     */
    public record Price(long resident, long nonResident) {

        /** Validates. */
        public Price {
            if (resident < 0 || nonResident < 0 || resident > MAX_YEN || nonResident > MAX_YEN) {
                throw new IllegalArgumentException("a price is 0 to " + MAX_YEN + " yen");
            }
        }

        /**
         * @param yen the one price
         * @return the same for all
         */
        public static Price of(long yen) {
            return new Price(yen, yen);
        }

        /**
         * @param applicant who applies
         * @return the price they pay
         */
        public long of(FeeRequest.Residency applicant) {
            return applicant == FeeRequest.Residency.RESIDENT ? resident : nonResident;
        }
    }

    /**
     * A local time window within one day, in minutes from midnight; {@code to} may be 24:00.
     *
     * @param from first minute
     * @param to   end minute, exclusive
     */
    public record Window(int from, int to) {

        /** Validates. */
        public Window {
            if (from < 0 || to > 24 * 60 || from >= to) {
                throw new IllegalArgumentException("a window runs forward within one day");
            }
        }

        /**
         * @param other another window
         * @return whether they share a minute
         */
        public boolean overlaps(Window other) {
            return from < other.to && other.from < to;
        }

        /**
         * @param minute minutes from midnight
         * @return it as H:MM
         */
        public static String clock(int minute) {
            return String.format("%d:%02d", minute / 60, minute % 60);
        }

        @Override
        public String toString() {
            return clock(from) + "–" + clock(to);
        }
    }
}
