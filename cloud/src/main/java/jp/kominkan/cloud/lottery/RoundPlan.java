package jp.kominkan.cloud.lottery;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.calendar.JapaneseHolidays;
import jp.kominkan.shared.slot.SlotRange;
import jp.kominkan.shared.slot.Slots;

/**
 * What staff ask for when defining a round: which rooms, which days of a period (e.g. 土日祝), which bands
 * (午前・午後・夜間), the schedule and the rules. {@link #units} turns it into the units drawn for.
 *
 * @param facilityId the facility
 * @param name       the round's name
 * @param roomIds    its rooms (of the facility)
 * @param from       first day of use
 * @param to         last day of use
 * @param days       ISO weekdays (1 = Monday) taken, and whether holidays (祝日) are taken whatever their weekday
 * @param holidays   whether public holidays are taken
 * @param bands      the bands of each day
 * @param schedule   the schedule
 * @param rules      the rules
 * @param beacon     the external beacon the randomness will come from, if any (e.g. 「drand quicknet round 1234」)
 */
public record RoundPlan(long facilityId, String name, List<Long> roomIds, LocalDate from, LocalDate to,
                        Set<DayOfWeek> days, boolean holidays, List<Band> bands, RoundSchedule schedule,
                        LotteryRules rules, Optional<String> beacon) {

    /** Most units in one round. */
    public static final int MAX_UNITS = 5_000;

    /** Checks the parts. */
    public RoundPlan {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw Problem.badField("name", "Give the round a name of up to 200 characters.",
                    "抽選回の名前を 200 文字までで入力してください。");
        }
        name = name.strip();
        if (roomIds.stream().anyMatch(Objects::isNull) || bands.stream().anyMatch(Objects::isNull)) {
            throw Problem.badField(roomIds.stream().anyMatch(Objects::isNull) ? "roomIds" : "bands",
                    "A list holds an empty (null) entry.", "一覧に空の項目があります。");
        }
        roomIds = List.copyOf(roomIds);
        if (roomIds.isEmpty() || roomIds.size() > 50 || roomIds.stream().distinct().count() != roomIds.size()) {
            throw Problem.badField("roomIds", "Choose 1 to 50 rooms.", "部屋を 1〜50 室選んでください。");
        }
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from) || from.plusDays(92).isBefore(to)) {
            throw Problem.badField("to", "The period runs from 'from' to 'to', at most 93 days.",
                    "期間は開始日から終了日まで、93 日以内で指定してください。");
        }
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if (days.isEmpty() && !holidays) {
            throw Problem.badField("days", "Choose at least one weekday or holidays.", "曜日か祝日を 1 つ以上選んでください。");
        }
        bands = List.copyOf(bands);
        if (bands.isEmpty() || bands.size() > 8) {
            throw Problem.badField("bands", "Give 1 to 8 bands (e.g. 午前 9:00–12:00).",
                    "時間帯（例: 午前 9:00〜12:00）を 1〜8 個指定してください。");
        }
        for (int i = 1; i < bands.size(); i++) {
            if (bands.get(i).startMinute() < bands.get(i - 1).endMinute()) {
                throw Problem.badField("bands", "Bands run in order and do not overlap.",
                        "時間帯は早い順に、重ならないように指定してください。");
            }
        }
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(rules, "rules");
        beacon = beacon.map(String::strip).filter(b -> !b.isEmpty());
        if (beacon.filter(b -> b.length() > 200).isPresent()) {
            throw Problem.badField("beacon", "Name the beacon in up to 200 characters.", "ビーコンの名前は 200 文字までです。");
        }
    }

    /**
     * A band of the day (時間帯).
     *
     * @param label       e.g. 午前
     * @param startMinute minutes from midnight, on a slot boundary
     * @param endMinute   minutes from midnight, up to 1440
     */
    public record Band(String label, int startMinute, int endMinute) {
        /** Checks the times. */
        public Band {
            if (label == null || label.isBlank() || label.strip().length() > 20) {
                throw Problem.badField("bands.label", "Each band has a label of up to 20 characters (e.g. 午前).",
                        "時間帯には 20 文字までの名前（例: 午前）を付けてください。");
            }
            label = label.strip();
            long slot = Slots.LENGTH.toMinutes();
            if (startMinute < 0 || endMinute > 1440 || startMinute >= endMinute || startMinute % slot != 0
                    || endMinute % slot != 0) {
                throw Problem.badField("bands", "A band starts before it ends, on the quarter hour, within the day.",
                        "時間帯は 15 分単位で、開始を終了より前にしてください。");
            }
        }
    }

    /**
     * A unit the plan would make.
     *
     * @param roomId the room
     * @param range  its time
     * @param label  its label
     */
    public record PlannedUnit(long roomId, SlotRange range, String label) {
    }

    /**
     * @param rooms      the rooms, by id (already checked to be the facility's)
     * @param closedDays the facility's closed days in the period
     * @param zone       the municipality's zone
     * @return the units, and why other dates and bands were left out
     */
    public Planned units(Map<Long, Room> rooms, Set<LocalDate> closedDays, ZoneId zone) {
        List<PlannedUnit> units = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        DateTimeFormatter day = DateTimeFormatter.ofPattern("M月d日", Locale.JAPAN);
        for (long roomId : roomIds) {
            Room room = rooms.get(roomId);
            for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
                boolean holiday = JapaneseHolidays.isHoliday(date);
                if (!(days.contains(date.getDayOfWeek()) || holidays && holiday)) {
                    continue;
                }
                String dateLabel = day.format(date) + "(" + (holiday ? "祝"
                        : date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.JAPAN)) + ")";
                if (closedDays.contains(date)) {
                    skipped.add(room.name() + " " + dateLabel + ": 休館日");
                    continue;
                }
                for (Band band : bands) {
                    SlotRange range = new SlotRange(date.atStartOfDay(zone).plusMinutes(band.startMinute()).toInstant(),
                            date.atStartOfDay(zone).plusMinutes(band.endMinute()).toInstant());
                    boolean open = true;
                    for (int m = band.startMinute(); m < band.endMinute(); m += (int) Slots.LENGTH.toMinutes()) {
                        open &= room.hours().isOpen(date, m);
                    }
                    String label = (roomIds.size() > 1 ? room.name() + " " : "") + dateLabel + " " + band.label() + " "
                            + Hhmm.of(band.startMinute()) + "–" + Hhmm.of(band.endMinute());
                    if (!open) {
                        skipped.add(label + ": 利用時間外");
                        continue;
                    }
                    units.add(new PlannedUnit(roomId, range, label));
                }
            }
        }
        if (units.size() > MAX_UNITS) {
            throw Problem.badField("bands", "A round has at most " + MAX_UNITS + " units; this one would have "
                    + units.size() + ".", "1 回の抽選の枠は " + MAX_UNITS + " までです（この指定では " + units.size() + "）。");
        }
        return new Planned(units, skipped);
    }

    /**
     * @param units   the units
     * @param skipped dates and bands left out, and why
     */
    public record Planned(List<PlannedUnit> units, List<String> skipped) {
    }

    /** Minutes from midnight as H:MM. */
    static final class Hhmm {
        private Hhmm() {
        }

        static String of(int minutes) {
            return minutes / 60 + ":" + String.format("%02d", minutes % 60);
        }
    }
}
