package jp.kominkan.cloud.booking;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@code {"roomId":…,"slots":[{"start":…,"end":…,"state":…}…]}} straight into bytes, or the same as runs
 * of equal state ({@link #writeRuns}).
 *
 * <p>A month of one room is about 3,000 slots and 6,000 timestamps; through a general JSON writer
 * and {@code DateTimeFormatter} that alone took milliseconds. Every value here is ASCII we produce
 * ourselves (ISO-8601 times, state names), so nothing needs escaping, and a day's date and offset
 * are formatted once per day rather than once per slot.
 */
final class AvailabilityJson {

    private static final byte[][] QUARTER_HOURS = new byte[97][];

    static {
        for (int q = 0; q <= 96; q++) {
            QUARTER_HOURS[q] = "%02d:%02d:00".formatted(q / 4, (q % 4) * 15).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private byte[] out;
    private int size;
    private long cachedDay = Long.MIN_VALUE;
    private ZoneOffset cachedOffset;
    private byte[] datePrefix;
    private byte[] offsetSuffix;

    private AvailabilityJson(int capacity) {
        out = new byte[capacity];
    }

    /**
     * @param roomId the room
     * @param slots  its slots, consecutive
     * @param zone   its zone
     * @return the JSON body
     */
    static byte[] write(long roomId, List<Availability.Slot> slots, ZoneId zone) {
        AvailabilityJson json = new AvailabilityJson(slots.size() * 90 + 64);
        json.ascii("{\"roomId\":").ascii(Long.toString(roomId)).ascii(",\"slots\":[");
        for (int i = 0; i < slots.size(); i++) {
            Availability.Slot slot = slots.get(i);
            json.ascii(i == 0 ? "{\"start\":\"" : ",{\"start\":\"").time(slot.start(), zone)
                    .ascii("\",\"end\":\"").time(slot.end(), zone)
                    .ascii("\",\"state\":\"").ascii(slot.state().wire()).ascii("\"}");
        }
        json.ascii("]}");
        return Arrays.copyOf(json.out, json.size);
    }

    /**
     * The compact form: runs of consecutive slots in the same state,
     * {@code {"roomId":…,"format":"runs","runs":[{"start":…,"end":…,"state":…}…]}} — a month of a room is a few
     * dozen runs rather than 2,976 slots.
     *
     * @param roomId the room
     * @param slots  its slots, consecutive
     * @param zone   its zone
     * @return the JSON body
     */
    static byte[] writeRuns(long roomId, List<Availability.Slot> slots, ZoneId zone) {
        AvailabilityJson json = new AvailabilityJson(1024);
        json.ascii("{\"roomId\":").ascii(Long.toString(roomId)).ascii(",\"format\":\"runs\",\"runs\":[");
        int first = 0;
        for (int i = 1; i <= slots.size(); i++) {
            if (i < slots.size() && slots.get(i).state() == slots.get(first).state()) {
                continue;
            }
            Availability.Slot start = slots.get(first);
            json.ascii(first == 0 ? "{\"start\":\"" : ",{\"start\":\"").time(start.start(), zone)
                    .ascii("\",\"end\":\"").time(slots.get(i - 1).end(), zone)
                    .ascii("\",\"state\":\"").ascii(start.state().wire()).ascii("\"}");
            first = i;
        }
        json.ascii("]}");
        return Arrays.copyOf(json.out, json.size);
    }

    private AvailabilityJson time(Instant instant, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(instant);
        long local = instant.getEpochSecond() + offset.getTotalSeconds();
        long day = Math.floorDiv(local, 86_400);
        int secondOfDay = (int) Math.floorMod(local, 86_400);
        if (day != cachedDay || !offset.equals(cachedOffset)) {
            cachedDay = day;
            cachedOffset = offset;
            datePrefix = (LocalDate.ofEpochDay(day) + "T").getBytes(StandardCharsets.US_ASCII);
            offsetSuffix = (offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId()).getBytes(StandardCharsets.US_ASCII);
        }
        bytes(datePrefix);
        if (secondOfDay % 900 == 0) {
            bytes(QUARTER_HOURS[secondOfDay / 900]);
        } else {
            ascii("%02d:%02d:%02d".formatted(secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60));
        }
        return bytes(offsetSuffix);
    }

    private AvailabilityJson ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            out[size++] = (byte) text.charAt(i);
        }
        return this;
    }

    private AvailabilityJson bytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, size, bytes.length);
        size += bytes.length;
        return this;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}
