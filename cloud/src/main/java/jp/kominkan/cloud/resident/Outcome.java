package jp.kominkan.cloud.resident;

import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.page.Page;

/**
 * What just happened to a booking, for the page shown after it: booked, held until paid, or cancelled —
 * titled for it, with a status message. Only the booking's own state decides: a link saying
 * {@code ?done=booked} on a cancelled booking shows the plain booking page.
 */
public enum Outcome {
    /** Nothing just happened: the booking's page. */
    NONE,
    /** Booked and confirmed. */
    BOOKED,
    /** Booked, held until paid. */
    HELD,
    /** Cancelled. */
    CANCELLED;

    /**
     * @param done   what the redirect said: booked or cancelled
     * @param status the booking's state now
     * @return what to tell
     */
    public static Outcome of(String done, ReservationStatus status) {
        return switch (done) {
            case "booked" -> status == ReservationStatus.CONFIRMED ? BOOKED : status == ReservationStatus.HELD ? HELD : NONE;
            case "cancelled" -> status == ReservationStatus.CANCELLED ? CANCELLED : NONE;
            default -> NONE;
        };
    }

    /**
     * @param page the page
     * @return the page's title and heading
     */
    public String title(Page page) {
        return switch (this) {
            case BOOKED -> page.t("予約が確定しました", "Your booking is confirmed");
            case HELD -> page.t("仮予約しました", "Your booking is held");
            case CANCELLED -> page.t("予約を取り消しました", "Your booking is cancelled");
            case NONE -> page.t("予約の詳細", "Booking");
        };
    }

    /**
     * @param page the page
     * @return the status message, empty for {@link #NONE}
     */
    public String message(Page page) {
        return switch (this) {
            case BOOKED -> page.t("予約が確定しました。このページは「予約一覧」からいつでも開けます。",
                    "Your booking is confirmed. You can open this page from “My bookings” at any time.");
            case HELD -> page.t("仮予約しました。期限までにお支払いいただくと予約が確定します。",
                    "Your booking is held. It is confirmed once you pay by the deadline.");
            case CANCELLED -> page.t("予約を取り消しました。解錠コードは使えなくなりました。",
                    "Your booking is cancelled. Its door code no longer works.");
            case NONE -> "";
        };
    }
}
