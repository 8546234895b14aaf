package jp.kominkan.cloud.backoffice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import jp.kominkan.cloud.alarm.AlarmKind;
import jp.kominkan.cloud.page.Lang;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.shared.door.DoorState;
import jp.kominkan.shared.event.DoorEvent;

/**
 * The words, marks and times the caretakers' pages use for doors: each status with its tone (the
 * colour family) and its mark, so no status is told by colour alone; each door event and alarm kind
 * in Japanese and English; times as a caretaker reads them (12:03:15 today, 12月1日 12:03 another day).
 * {@code /static/door-board.js} carries the same words for what it draws live; change both together.
 */
public final class DoorWords {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("H:mm:ss");
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("H:mm");

    private DoorWords() {
    }

    /**
     * A status as the board shows it.
     *
     * @param wire  its name in the API, also its CSS class ({@code s-forced-open})
     * @param label its words in the page's language
     * @param tone  alarm, warn, offline, open, ok or none
     * @param mark  a shape that tells it apart without colour
     */
    public record Look(String wire, String label, String tone, String mark) {
    }

    /**
     * @param status a door's status
     * @param page   the page (for the language)
     * @return how it looks
     */
    static Look look(DoorState.Status status, Page page) {
        String english = switch (status) {
            case OFFLINE -> "Offline";
            case FORCED_OPEN -> "Forced open";
            case TAMPER -> "Tamper";
            case JAMMED -> "Lock jammed";
            case AJAR -> "Open too long";
            case OPEN -> "Open";
            case UNLOCKED -> "Unlocked";
            case LOCKED -> "Locked";
            case CLOSED -> "Closed";
            case UNKNOWN -> "Unknown";
        };
        String tone = switch (status) {
            case FORCED_OPEN, TAMPER, JAMMED -> "alarm";
            case AJAR -> "warn";
            case OFFLINE -> "offline";
            case OPEN, UNLOCKED -> "open";
            case LOCKED, CLOSED -> "ok";
            case UNKNOWN -> "none";
        };
        String mark = switch (status) {
            case OFFLINE -> "⊘";
            case FORCED_OPEN -> "▲";
            case TAMPER -> "◆";
            case JAMMED -> "■";
            case AJAR -> "◐";
            case OPEN -> "□";
            case UNLOCKED -> "○";
            case LOCKED -> "●";
            case CLOSED -> "▬";
            case UNKNOWN -> "?";
        };
        return new Look(status.wire(), page.t(status.japanese(), english), tone, mark);
    }

    /**
     * @param type   an event's type
     * @param reason its reason
     * @param page   the page
     * @return e.g. 解錠, 閉扉, 電池 15%
     */
    static String event(DoorEvent.Type type, Optional<String> reason, Page page) {
        String battery = reason.filter(r -> r.matches("battery=\\d{1,3}")).map(r -> " " + r.substring(8) + "%").orElse("");
        return switch (type) {
            case UNLOCKED -> page.t("解錠", "Unlocked");
            case OPENED -> page.t("開扉", "Opened");
            case CLOSED -> page.t("閉扉", "Closed");
            case DENIED -> page.t("暗証番号の拒否", "Code refused");
            case FORCED_OPEN -> page.t("こじ開け", "Forced open");
            case HELD_OPEN -> page.t("開放が長い", "Held open");
            case LOCK_OFFLINE -> page.t("電気錠と通信できない", "Lock offline");
            case LOCK_ONLINE -> page.t("電気錠の通信回復", "Lock back online");
            case LOCK_STATE -> switch (reason.orElse("")) {
                case "locked" -> page.t("施錠", "Locked");
                case "unlocked" -> page.t("解錠", "Unlocked");
                case "jammed" -> page.t("施錠異常", "Lock jammed");
                default -> page.t("錠の状態", "Lock state");
            };
            case BATTERY_LOW -> page.t("電池残量の低下", "Battery low") + battery;
            case BATTERY -> page.t("電池", "Battery") + battery;
            case TAMPER -> reason.filter("cleared"::equals).isPresent() ? page.t("いたずら検知の解除", "Tamper cleared")
                    : page.t("いたずら検知", "Tamper");
            case LOCKOUT -> page.t("暗証番号の入力停止", "Keypad locked out");
            case REMOTE_UNLOCKED -> page.t("遠隔解錠", "Remote unlock");
            case RELOCKED -> page.t("再施錠", "Relocked");
        };
    }

    /**
     * @param kind an alarm's kind
     * @param page the page
     * @return its words
     */
    static String alarm(AlarmKind kind, Page page) {
        return page.t(kind.japanese(), switch (kind) {
            case FORCED_OPEN -> "Forced open (opened without an unlock)";
            case HELD_OPEN -> "Door held open too long";
            case TAMPER -> "Tampering reported";
            case JAMMED -> "Lock jammed";
            case BATTERY_LOW -> "Battery low";
            case LOCK_OFFLINE -> "Smart lock not answering";
            case GATEWAY_OFFLINE -> "Gateway offline";
            case LOCKOUT -> "Keypad locked after wrong codes";
            case LEFT_OPEN -> "Left open or unlocked after use";
            case SHELTER_CODE_USED -> "Shelter or emergency code used";
        });
    }

    /**
     * @param kind an alarm's kind
     * @return its mark: the status mark of the door condition it stands for
     */
    static String alarmMark(AlarmKind kind) {
        return switch (kind) {
            case FORCED_OPEN -> "▲";
            case TAMPER -> "◆";
            case JAMMED -> "■";
            case HELD_OPEN, LEFT_OPEN -> "◐";
            case GATEWAY_OFFLINE, LOCK_OFFLINE -> "⊘";
            default -> "!";
        };
    }

    /**
     * @param at    a moment
     * @param zone  the town's zone
     * @param today today there
     * @param page  the page
     * @return 12:03:15 today, 12月1日 12:03 (12/1 12:03) another day
     */
    static String time(Instant at, ZoneId zone, LocalDate today, Page page) {
        ZonedDateTime local = at.atZone(zone);
        return local.toLocalDate().equals(today) ? SECONDS.format(local) : day(local, page) + " " + MINUTES.format(local);
    }

    /**
     * @param start a booking's start
     * @param end   its end
     * @param zone  the town's zone
     * @param today today there
     * @param page  the page
     * @return 10:00–12:00 today, 12月2日 10:00–12:00 another day
     */
    static String range(Instant start, Instant end, ZoneId zone, LocalDate today, Page page) {
        ZonedDateTime from = start.atZone(zone);
        String times = MINUTES.format(from) + "–" + MINUTES.format(end.atZone(zone));
        return from.toLocalDate().equals(today) ? times : day(from, page) + " " + times;
    }

    private static String day(ZonedDateTime at, Page page) {
        return page.lang() == Lang.EN ? at.getMonthValue() + "/" + at.getDayOfMonth()
                : at.getMonthValue() + "月" + at.getDayOfMonth() + "日";
    }
}
