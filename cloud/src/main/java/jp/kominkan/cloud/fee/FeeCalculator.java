package jp.kominkan.cloud.fee;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.kominkan.cloud.fee.FeeRequest.EquipmentUse;
import jp.kominkan.cloud.fee.FeeRequest.Reduction;
import jp.kominkan.cloud.fee.FeeSchedule.DayClass;
import jp.kominkan.cloud.fee.FeeSchedule.Window;
import jp.kominkan.cloud.fee.QuoteLine.Kind;
import jp.kominkan.cloud.fee.Surcharges.Surcharge;

/**
 * Prices a request against a schedule, to the yen, with no I/O. The order is the ordinances':
 * units (a range that is exactly a full-day window is 全日; otherwise every band it touches is
 * charged whole, time outside every booked band is 延長, a gap between two booked bands — ときがわ
 * 12–13 — is free), then surcharges on the room fee, late discounts on the listed units,
 * equipment, seasonal items, the reduction (減免; never on seasonal items), and the rounding of
 * the total. Each computed fraction of a yen is dropped (1円未満切り捨て) on its own line. A booking
 * across midnight is priced day by day, each day by its own day class.
 */
public final class FeeCalculator {

    private static final int DAY = 24 * 60;

    private FeeCalculator() {
    }

    /**
     * @param schedule the room's schedule
     * @param request  what to price
     * @return the itemised quote
     * @throws FeeException when the schedule cannot price the request
     */
    public static Quote quote(FeeSchedule schedule, FeeRequest request) {
        Reduction reduction = request.reduction().orElse(null);
        if (reduction != null && reduction.notWithAdmission() && request.purpose().admissionYen() > 0) {
            throw new FeeException("reduction-not-with-admission",
                    "入場料等を徴収する利用には減免「" + reduction.nameJa() + "」を適用できません。",
                    "The reduction \"" + reduction.code() + "\" does not apply to a use that charges admission.");
        }
        Pricing pricing = new Pricing(schedule, request);
        LocalDateTime start = request.start();
        LocalDateTime end = request.end();
        for (LocalDate date = start.toLocalDate(); date.atStartOfDay().isBefore(end); date = date.plusDays(1)) {
            int from = date.equals(start.toLocalDate()) ? start.getHour() * 60 + start.getMinute() : 0;
            int to = date.equals(end.toLocalDate()) ? end.getHour() * 60 + end.getMinute() : DAY;
            if (to > from) {
                pricing.day(date, from, to);
            }
        }
        return pricing.finish();
    }

    /** One quote's working state. */
    private static final class Pricing {
        private final FeeSchedule schedule;
        private final FeeRequest request;
        private final List<QuoteLine> base = new ArrayList<>();
        private final List<QuoteLine> overrun = new ArrayList<>();
        private final Map<String, Hours> hourly = new LinkedHashMap<>();
        private final List<Day> days = new ArrayList<>();

        Pricing(FeeSchedule schedule, FeeRequest request) {
            this.schedule = schedule;
            this.request = request;
        }

        void day(LocalDate date, int from, int to) {
            DayClass dc = schedule.dayClassOf(date).orElseThrow(() -> new FeeException("no-fee-on-day",
                    date + "（" + weekdayJa(date) + "）の料金は料金表にありません。",
                    date + " (" + date.getDayOfWeek() + ") is not in the fee schedule."));
            String c = dc.name();
            Day day = new Day(date, dc, to - from);
            days.add(day);
            for (FeeUnit unit : schedule.units()) {
                if (unit instanceof FeeUnit.FullDay && unit.prices().containsKey(c)) {
                    Window w = unit.windowOn(c);
                    if (w.from() == from && w.to() == to) {
                        charge(day, unit, w);
                        day.units = 1;
                        day.bands = Math.max(1, (int) schedule.units().stream()
                                .filter(u -> u instanceof FeeUnit.Band && u.prices().containsKey(c))
                                .filter(u -> u.windowOn(c).from() >= w.from() && u.windowOn(c).to() <= w.to()).count());
                        return;
                    }
                }
            }
            List<int[]> rest = new ArrayList<>(List.of(new int[] {from, to}));
            int first = DAY;
            int last = 0;
            for (FeeUnit unit : schedule.units()) {
                if (unit instanceof FeeUnit.Band && unit.prices().containsKey(c)) {
                    Window w = unit.windowOn(c);
                    if (w.from() < to && from < w.to()) {
                        charge(day, unit, w);
                        day.units++;
                        day.bands++;
                        first = Math.min(first, w.from());
                        last = Math.max(last, w.to());
                        rest = minus(rest, w);
                    }
                }
            }
            boolean hours = false;
            for (FeeUnit unit : schedule.units()) {
                if (unit instanceof FeeUnit.Hourly h && unit.prices().containsKey(c)) {
                    Window w = unit.windowOn(c);
                    for (int[] piece : rest) {
                        int a = Math.max(piece[0], w.from());
                        int b = Math.min(piece[1], w.to());
                        if (a < b) {
                            long yen = h.prices().get(c).of(request.applicant());
                            hourly.computeIfAbsent(h.code() + "\u0000" + c + "\u0000" + yen, k -> new Hours(h, dc, yen))
                                    .add(b - a);
                            day.fee += yen * (b - a) / h.perMinutes();
                            hours = true;
                        }
                    }
                    rest = minus(rest, w);
                }
            }
            if (hours) {
                day.units++;
            }
            for (int[] piece : rest) {
                if (piece[0] >= first && piece[1] <= last) {
                    continue; // between two booked bands (a lunch break): not charged
                }
                Window w = new Window(piece[0], piece[1]);
                var price = schedule.overrun().map(o -> o.prices().get(c));
                if (price.isEmpty() || price.get() == null) {
                    throw new FeeException("outside-schedule", "この時間帯は料金表にありません: " + date + " " + w + "（" + c + "）。",
                            "This time is not in the fee schedule: " + date + " " + w + " (" + c + ").");
                }
                int per = schedule.overrun().orElseThrow().perMinutes();
                long yen = ((w.to() - w.from() + per - 1) / per) * price.get().of(request.applicant());
                overrun.add(new QuoteLine(Kind.OVERRUN, "延長", date + " 延長 " + w + "（" + c + "）",
                        date + " overrun " + w + " (" + c + ")", yen));
                day.fee += yen;
            }
        }

        private void charge(Day day, FeeUnit unit, Window w) {
            long yen = unit.prices().get(day.dayClass.name()).of(request.applicant());
            base.add(new QuoteLine(Kind.BASE, unit.code(), day.date + " " + unit.labelJa() + " " + w + "（"
                    + day.dayClass.name() + "）", day.date + " " + unit.labelEn() + " " + w + " (" + day.dayClass.name()
                    + ")", yen));
            day.fee += yen;
            day.charged.add(base.size() - 1);
        }

        Quote finish() {
            List<QuoteLine> lines = new ArrayList<>(base);
            for (Hours h : hourly.values()) {
                lines.add(h.line());
            }
            lines.addAll(overrun);
            long room = sum(lines);
            long running = room;
            for (Surcharge s : schedule.surcharges().items()) {
                if (s.when().holds(request)) {
                    long on = schedule.surcharges().combine() == Surcharges.Combine.SUM_RATES ? room : running;
                    long yen = on * s.permille() / 1000;
                    lines.add(new QuoteLine(Kind.SURCHARGE, s.code(), s.labelJa() + "（" + rate(s.permille()) + "）",
                            s.labelEn() + " (" + rate(s.permille()) + ")", yen));
                    running += yen;
                }
            }
            for (LateDiscount d : schedule.lateDiscounts()) {
                long off = 0;
                for (Day day : days) {
                    if (!request.bookedOn().isBefore(day.date.minusDays(d.fromDaysBefore()))
                            && !request.bookedOn().isAfter(day.date)) {
                        for (int index : day.charged) {
                            QuoteLine line = base.get(index);
                            if (d.units().contains(line.code())) {
                                off += line.yen() * d.percent() / 100;
                            }
                        }
                    }
                }
                if (off > 0) {
                    lines.add(new QuoteLine(Kind.DISCOUNT, d.code(), d.labelJa() + "（" + d.percent() + "%）",
                            d.labelEn() + " (" + d.percent() + "%)", -off));
                }
            }
            int bands = days.stream().mapToInt(day -> Math.max(1, day.bands)).sum();
            for (EquipmentUse use : request.equipment()) {
                boolean perBand = use.per() == FeeRequest.Per.BAND;
                long yen = Math.multiplyExact(use.yen() * use.qty(), perBand ? bands : 1);
                lines.add(new QuoteLine(Kind.EQUIPMENT, use.code(), use.name() + " " + use.qty() + "点"
                        + (perBand ? " × " + bands + "区分" : ""), use.name() + " × " + use.qty()
                        + (perBand ? " × " + bands + " bands" : ""), yen));
            }
            for (SeasonalItem item : schedule.seasonal()) {
                long yen = 0;
                long permilleOf = 0;
                for (Day day : days) {
                    if (item.inSeason(day.date)) {
                        switch (item.per()) {
                            case HOUR -> yen += (day.minutes + 59) / 60 * item.amount();
                            case UNIT -> yen += day.units * item.amount();
                            case PERCENT -> permilleOf += day.fee;
                        }
                    }
                }
                yen += permilleOf * item.amount() / 1000;
                if (yen > 0) {
                    lines.add(new QuoteLine(Kind.SEASONAL, item.code(), item.labelJa(), item.labelEn(), yen));
                }
            }
            request.reduction().ifPresent(r -> {
                long reducible = sumOf(lines, Kind.BASE, Kind.OVERRUN, Kind.SURCHARGE, Kind.DISCOUNT)
                        + (r.appliesToEquipment() ? sumOf(lines, Kind.EQUIPMENT) : 0);
                long off = reducible * r.percent() / 100;
                if (off > 0) {
                    lines.add(new QuoteLine(Kind.REDUCTION, r.code(), "減免 " + r.nameJa() + "（" + r.percent() + "%）",
                            "Reduction " + r.code() + " (" + r.percent() + "%)", -off));
                }
            });
            long total = sum(lines);
            long rounded = schedule.rounding().apply(total);
            if (rounded != total) {
                Rounding rule = schedule.rounding();
                lines.add(new QuoteLine(Kind.ROUNDING, "端数処理", "端数処理（" + rule.unit() + "円単位"
                        + switch (rule.mode()) { case UP -> "切り上げ"; case DOWN -> "切り捨て"; case NEAREST -> "四捨五入"; }
                        + "）", "Rounding (" + rule.mode().wire() + " to " + rule.unit() + " yen)", rounded - total));
            }
            return new Quote(lines, rounded, schedule.source());
        }
    }

    /** Hourly minutes of one unit at one price, summed over the booking. */
    private static final class Hours {
        private final FeeUnit.Hourly unit;
        private final DayClass dayClass;
        private final long yen;
        private long minutes;
        private long started;

        Hours(FeeUnit.Hourly unit, DayClass dayClass, long yen) {
            this.unit = unit;
            this.dayClass = dayClass;
            this.yen = yen;
        }

        void add(int stretch) {
            minutes += stretch;
            started += (stretch + unit.perMinutes() - 1) / unit.perMinutes();
        }

        QuoteLine line() {
            long charged = unit.charge() == FeeUnit.Charge.PRO_RATA ? yen * minutes / unit.perMinutes() : yen * started;
            String length = minutes / 60 + "時間" + (minutes % 60 == 0 ? "" : minutes % 60 + "分");
            return new QuoteLine(Kind.BASE, unit.code(), unit.labelJa() + " " + length + "（" + dayClass.name() + "）",
                    unit.labelEn() + " " + minutes + " min (" + dayClass.name() + ")", charged);
        }
    }

    /** What one local day of the booking used. */
    private static final class Day {
        final LocalDate date;
        final DayClass dayClass;
        final int minutes;
        final List<Integer> charged = new ArrayList<>();
        int units;
        int bands;
        long fee;

        Day(LocalDate date, DayClass dayClass, int minutes) {
            this.date = date;
            this.dayClass = dayClass;
            this.minutes = minutes;
        }
    }

    private static List<int[]> minus(List<int[]> pieces, Window w) {
        List<int[]> out = new ArrayList<>(pieces.size() + 1);
        for (int[] p : pieces) {
            if (w.to() <= p[0] || p[1] <= w.from()) {
                out.add(p);
                continue;
            }
            if (p[0] < w.from()) {
                out.add(new int[] {p[0], w.from()});
            }
            if (w.to() < p[1]) {
                out.add(new int[] {w.to(), p[1]});
            }
        }
        out.sort(Comparator.comparingInt(p -> p[0]));
        return out;
    }

    private static long sum(List<QuoteLine> lines) {
        long sum = 0;
        for (QuoteLine line : lines) {
            sum = Math.addExact(sum, line.yen());
        }
        return sum;
    }

    private static long sumOf(List<QuoteLine> lines, Kind... kinds) {
        long sum = 0;
        for (QuoteLine line : lines) {
            for (Kind kind : kinds) {
                if (line.kind() == kind) {
                    sum += line.yen();
                }
            }
        }
        return sum;
    }

    private static String rate(int permille) {
        return permille % 10 == 0 ? permille / 10 + "%" : permille / 10 + "." + permille % 10 + "%";
    }

    private static String weekdayJa(LocalDate date) {
        return "月火水木金土日".substring(date.getDayOfWeek().getValue() - 1, date.getDayOfWeek().getValue()) + "曜日";
    }
}
