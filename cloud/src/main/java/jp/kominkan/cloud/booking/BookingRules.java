package jp.kominkan.cloud.booking;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Set;

import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;
import jp.kominkan.shared.slot.Slots;

/**
 * The room's rules a booking must meet before the database is asked for its slots: length, not in the past,
 * within the booking horizon, not on a closed day, inside opening hours, within capacity. One place for the
 * resident's API and pages and the counter alike.
 */
final class BookingRules {

    private BookingRules() {
    }

    /**
     * @param facilities closed days
     * @param room       the room
     * @param request    the booking asked for
     * @param now        now
     * @param horizon    whether the room's booking horizon applies (false when the facility's booking window
     *                   decides instead)
     * @throws Problem naming the rule broken
     */
    static void check(FacilityRepository facilities, Room room, BookingRequest request, Instant now, boolean horizon) {
        SlotRange range = request.range();
        // Compared as durations, before anything counts slots: a range of 2^32 slots must be refused,
        // not wrapped around or thrown on.
        if (Duration.between(range.start(), range.end()).compareTo(Slots.LENGTH.multipliedBy(BookingService.MAX_SLOTS)) > 0) {
            throw Problem.badRequest("too-long", "A booking can last at most 24 hours; book longer use day by day.",
                    "1 回の予約は最長 24 時間です。それより長い利用は日ごとに予約してください。");
        }
        if (range.start().isBefore(now)) {
            throw Problem.badRequest("in-the-past", "The start time has already passed. Choose a later time.",
                    "開始時刻が過ぎています。これより後の時間を選んでください。");
        }
        LocalDate lastBookable = now.atZone(room.zone()).toLocalDate().plusDays(room.bookingHorizonDays());
        Set<LocalDate> closedDays = facilities.closedDays(room.facilityId(),
                range.start().atZone(room.zone()).toLocalDate(), range.end().atZone(room.zone()).toLocalDate());
        for (Instant slot : range.slotStarts()) {
            ZonedDateTime local = slot.atZone(room.zone());
            LocalDate date = local.toLocalDate();
            if (horizon && date.isAfter(lastBookable)) {
                throw Problem.badRequest("beyond-horizon",
                        "This room can be booked at most " + room.bookingHorizonDays() + " days ahead (until "
                                + lastBookable + ").",
                        "この部屋は " + room.bookingHorizonDays() + " 日先（" + lastBookable + "）まで予約できます。");
            }
            if (closedDays.contains(date)) {
                throw Problem.badRequest("closed-day", "The facility is closed on " + date + ".",
                        date + " は休館日です。");
            }
            if (!room.hours().isOpen(date, local.getHour() * 60 + local.getMinute())) {
                throw Problem.badRequest("outside-opening-hours",
                        "The room is not open at " + local.toLocalTime() + " on " + date
                                + ". Check its opening hours.",
                        date + " の " + local.toLocalTime() + " は利用時間外です。利用時間をご確認ください。");
            }
        }
        if (request.attendees() > room.capacity()) {
            throw Problem.badRequest("over-capacity",
                    "This room holds at most " + room.capacity() + " people.",
                    "この部屋の定員は " + room.capacity() + " 名です。");
        }
    }
}
