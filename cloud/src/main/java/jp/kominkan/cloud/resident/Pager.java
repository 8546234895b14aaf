package jp.kominkan.cloud.resident;

import java.util.ArrayList;
import java.util.List;

import jp.kominkan.cloud.booking.ReservationPage;
import jp.kominkan.cloud.page.Page;

/**
 * The pager under a list of my bookings: previous and next, the page numbers around this one, and where this
 * page's rows are among all (全 45 件中 21–40 件).
 *
 * @param path   the list's address, without a query
 * @param number this page, from 1
 * @param pages  how many pages
 * @param first  position of the first row shown, from 1 (0 when there are none)
 * @param last   position of the last row shown
 * @param total  rows on all pages
 */
public record Pager(String path, int number, int pages, int first, int last, int total) {

    /** Page numbers further than this from the current one are left out, except the first and last. */
    private static final int AROUND = 2;

    static Pager of(String path, ReservationPage page) {
        return new Pager(path, page.number(), page.pages(), page.first(), page.last(), page.total());
    }

    /**
     * @param n a page number
     * @return its address; page 1 is the list's own address
     */
    public String href(int n) {
        return n <= 1 ? path : path + "?page=" + n;
    }

    /** @return the numbers to link, in order, with 0 where some are left out */
    public List<Integer> numbers() {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 1; n <= pages; n++) {
            if (n == 1 || n == pages || Math.abs(n - number) <= AROUND) {
                numbers.add(n);
            } else if (numbers.getLast() != 0) {
                numbers.add(0);
            }
        }
        return numbers;
    }

    /**
     * @param page the page, for its language
     * @return e.g. 全 45 件中 21–40 件
     */
    public String range(Page page) {
        return page.t("全 " + total + " 件中 " + first + "–" + last + " 件", first + "–" + last + " of " + total);
    }
}
