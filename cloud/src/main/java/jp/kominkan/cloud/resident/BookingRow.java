package jp.kominkan.cloud.resident;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
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
     * @param facilities facilities and rooms, for the place's name
     * @param town       the municipality
     * @param r          the reservation
     * @param page       the page, for its language
     * @param places     place names already looked up, by room id (filled in)
     * @param now        now, for the status
     * @return the row
     */
    static BookingRow of(FacilityRepository facilities, Municipality town, Reservation r, Page page,
                         Map<Long, String> places, Instant now) {
        String place = places.computeIfAbsent(r.roomId(), id -> facilities.room(town.id(), id)
                .flatMap(room -> facilities.facility(town.id(), room.facilityId())
                        .map(facility -> facility.name() + " " + room.name()))
                .orElse(""));
        return new BookingRow(r.id(), Formats.when(r.range(), town.zone(), page), place, r.statusAt(now).wire());
    }

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
