package jp.kominkan.cloud.resident;

import java.util.UUID;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;

/**
 * A reservation as the pages show it.
 *
 * @param id     its id
 * @param when   date and time in words
 * @param place  facility and room
 * @param status held, confirmed, cancelled or expired
 */
public record BookingRow(UUID id, String when, String place, String status) {

    /**
     * @param page the page
     * @return the status in words
     */
    public String statusLabel(Page page) {
        return switch (status) {
            case "held" -> page.t("仮予約（支払い待ち）", "Held (awaiting payment)");
            case "confirmed" -> page.t("予約確定", "Confirmed");
            case "cancelled" -> page.t("取消済み", "Cancelled");
            default -> page.t("期限切れ", "Expired");
        };
    }

    /** @return the badge's style */
    public String statusClass() {
        return switch (status) {
            case "confirmed" -> "ok";
            case "held" -> "warn";
            default -> "none";
        };
    }
}
