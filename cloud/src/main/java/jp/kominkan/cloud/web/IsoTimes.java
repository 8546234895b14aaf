package jp.kominkan.cloud.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Writes instants as ISO-8601 local time with offset, whole seconds ("2026-12-01T10:00:00+09:00"),
 * the form every API time takes. Hand-rolled rather than {@code DateTimeFormatter} because a month
 * of availability writes about 6,000 of them per request.
 */
public final class IsoTimes {

    private IsoTimes() {
    }

    /**
     * @param instant an instant
     * @param zone    the facility's zone
     * @return e.g. "2026-12-01T10:00:00+09:00"
     */
    public static String format(Instant instant, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(instant);
        LocalDateTime local = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, offset);
        StringBuilder out = new StringBuilder(25);
        int year = local.getYear();
        if (year < 1000 || year > 9999) {
            return local.atOffset(offset).toString();
        }
        out.append(year).append('-');
        two(out, local.getMonthValue()).append('-');
        two(out, local.getDayOfMonth()).append('T');
        two(out, local.getHour()).append(':');
        two(out, local.getMinute()).append(':');
        two(out, local.getSecond());
        return out.append(offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId()).toString();
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
