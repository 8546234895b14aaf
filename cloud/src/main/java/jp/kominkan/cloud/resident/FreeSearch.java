package jp.kominkan.cloud.resident;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.cloud.booking.RoomSearch;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;

/**
 * The search form's 利用日 and 時間帯 read into a room search: a date from today to two years ahead, and a time range
 * given whole (both ends) or not at all. What is wrong goes into the page's errors, in Japanese and English.
 */
final class FreeSearch {

    private FreeSearch() {
    }

    static Optional<RoomSearch.Query> query(Municipality town, Clock clock, Page page, Map<String, String> form,
                                            Map<String, String> errors) {
        String dateText = form.getOrDefault("date", "").strip();
        if (dateText.isEmpty()) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        Optional<LocalDate> date = Formats.date(dateText).filter(d -> !d.isBefore(today) && !d.isAfter(today.plusYears(2)));
        if (date.isEmpty()) {
            errors.put("date", page.t("利用日は今日から 2 年先までの日付を指定してください。",
                    "Choose a date from today to two years ahead."));
            return Optional.empty();
        }
        Optional<LocalTime> from = time(form.get("from"));
        Optional<LocalTime> to = time(form.get("to"));
        if (from.isPresent() != to.isPresent()
                || from.isPresent() && !from.get().isBefore(to.get()) && !to.get().equals(LocalTime.MIDNIGHT)) {
            errors.put("from", page.t("時間帯は開始と終了の両方を選び、終了を開始より後にしてください。",
                    "Choose both ends of the time range, the end after the start."));
            return Optional.empty();
        }
        return Optional.of(new RoomSearch.Query(date.get(), from, to, 15));
    }

    private static Optional<LocalTime> time(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        if (text.equals("24:00")) {
            return Optional.of(LocalTime.MIDNIGHT);
        }
        return Formats.quarterHours().contains(text) ? Optional.of(LocalTime.parse(text)) : Optional.empty();
    }
}
