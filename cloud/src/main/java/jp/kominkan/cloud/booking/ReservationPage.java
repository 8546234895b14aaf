package jp.kominkan.cloud.booking;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One page of a resident's bookings (my bookings, upcoming or past), with what a pager needs to know.
 *
 * @param reservations the bookings on this page
 * @param number       which page, from 1
 * @param size         bookings per page
 * @param total        bookings on all pages
 */
public record ReservationPage(List<Reservation> reservations, int number, int size, int total) {

    /** Checks the numbers. */
    public ReservationPage {
        reservations = List.copyOf(Objects.requireNonNull(reservations, "reservations"));
        if (size < 1 || number < 1 || total < 0 || reservations.size() > size) {
            throw new IllegalArgumentException("page " + number + " of " + size + " with " + total + " in all");
        }
    }

    /**
     * Reads the page asked for, or the nearest that exists: a number below 1 is the first page, one past the end
     * the last, so a stale link (bookings ended or cancelled since) still shows something.
     *
     * @param wanted the page asked for
     * @param size   bookings per page
     * @param total  how many there are
     * @param rows   reads {@code limit} bookings after skipping {@code offset}
     * @return the page
     */
    static ReservationPage read(int wanted, int size, int total, BiFunction<Integer, Integer, List<Reservation>> rows) {
        int pages = pages(total, size);
        int number = Math.clamp(wanted, 1, pages);
        return new ReservationPage(total == 0 ? List.of() : rows.apply(size, (number - 1) * size), number, size, total);
    }

    /** @return how many pages there are; an empty list has one, empty, page */
    public int pages() {
        return pages(total, size);
    }

    /** @return the position of this page's first booking among all, from 1 (0 when there are none) */
    public int first() {
        return reservations.isEmpty() ? 0 : (number - 1) * size + 1;
    }

    /** @return the position of this page's last booking among all (0 when there are none) */
    public int last() {
        return reservations.isEmpty() ? 0 : (number - 1) * size + reservations.size();
    }

    private static int pages(int total, int size) {
        return Math.max(1, (total + size - 1) / size);
    }
}
