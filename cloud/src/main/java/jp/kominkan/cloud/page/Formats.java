package jp.kominkan.cloud.page;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.shared.slot.SlotRange;

/** Dates and times in words, query values and refusals, as every page shows them. */
public final class Formats {

    private static final DateTimeFormatter WHEN_JA = DateTimeFormatter.ofPattern("yyyy年M月d日（E） H:mm", Locale.JAPANESE);
    private static final DateTimeFormatter WHEN_EN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, H:mm", Locale.ENGLISH);

    private Formats() {
    }

    /**
     * @param range a range of slots
     * @param zone  the municipality's zone
     * @param page  the page (for the language)
     * @return e.g. 2026年12月1日（火） 10:00–12:00
     */
    public static String when(SlotRange range, ZoneId zone, Page page) {
        ZonedDateTime start = range.start().atZone(zone);
        ZonedDateTime end = range.end().atZone(zone);
        String endTime = end.toLocalDate().isAfter(start.toLocalDate()) && end.toLocalTime().equals(LocalTime.MIDNIGHT)
                ? "24:00" : end.toLocalTime().toString();
        return (page.lang() == Lang.EN ? WHEN_EN : WHEN_JA).format(start) + "–" + endTime;
    }

    /**
     * @param date a day
     * @param page the page (for the language)
     * @return e.g. 2026年12月1日（火）
     */
    public static String day(LocalDate date, Page page) {
        return page.lang() == Lang.EN
                ? date.format(DateTimeFormatter.ofPattern("EEE d MMM uuuu", Locale.ENGLISH))
                : date.format(DateTimeFormatter.ofPattern("uuuu年M月d日（E）", Locale.JAPANESE));
    }

    /**
     * @param instant a moment
     * @param zone    the municipality's zone
     * @param page    the page (for the language)
     * @return e.g. 2026年12月1日（火） 10:00
     */
    public static String format(Instant instant, ZoneId zone, Page page) {
        return (page.lang() == Lang.EN ? WHEN_EN : WHEN_JA).format(instant.atZone(zone));
    }

    /**
     * @param req   the request
     * @param names the query parameters wanted
     * @return those present, each at most 100 characters
     */
    public static Map<String, String> query(ServerRequest req, String... names) {
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            req.query().first(name).asOptional().filter(v -> v.length() <= 100).ifPresent(v -> values.put(name, v));
        }
        return values;
    }

    /**
     * @param text an ISO date, e.g. 2026-12-01
     * @return the date, when it is one
     */
    public static Optional<LocalDate> date(String text) {
        try {
            return Optional.of(LocalDate.parse(text == null ? "" : text.strip()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A refusal's message in the page's language (no page context needed: no query, no cookie).
     *
     * @param req     the request
     * @param problem the refusal
     * @return its message
     */
    public static String message(ServerRequest req, Problem problem) {
        return PageSupport.lang(req) == Lang.EN ? problem.english() : problem.japanese();
    }

    /**
     * A time a form sent, on a date: a quarter hour, or 24:00 for an end at midnight.
     *
     * @param date  the date
     * @param time  e.g. 10:15
     * @param zone  the municipality's zone
     * @param field the form field (24:00 is allowed for {@code end})
     * @return the moment
     * @throws Problem naming the field, for anything else
     */
    public static ZonedDateTime at(LocalDate date, String time, ZoneId zone, String field) {
        try {
            if ("24:00".equals(time) && field.equals("end")) {
                return date.plusDays(1).atStartOfDay(zone);
            }
            LocalTime local = LocalTime.parse(time == null ? "" : time);
            if (local.getMinute() % 15 != 0 || local.getSecond() != 0) {
                throw new DateTimeException("not a quarter hour");
            }
            return date.atTime(local).atZone(zone);
        } catch (DateTimeException e) {
            throw Problem.badField(field, "Choose a time on a quarter hour.", "時刻は 15 分単位で選んでください。");
        }
    }

    /** @return every quarter hour of a day, 00:00 to 24:00, as the forms offer them */
    public static java.util.List<String> quarterHours() {
        java.util.List<String> times = new java.util.ArrayList<>();
        for (int minute = 0; minute <= 24 * 60; minute += 15) {
            times.add(minute == 24 * 60 ? "24:00" : LocalTime.of(minute / 60, minute % 60).toString());
        }
        return times;
    }
}
