package jp.kominkan.cloud.backoffice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongPredicate;

import jp.kominkan.cloud.alarm.Alarm;
import jp.kominkan.cloud.caretaking.DoorBoard;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.shared.door.DoorState;

/**
 * What the door board and the alarms page show, made from the caretaking desk's doors and alarms: a card per door
 * (its status with tone and mark, and a few facts), grouped by facility, and a line per alarm. The facts are the
 * ones {@code door-board.js} draws from the door's JSON when it changes.
 */
public final class DoorBoardViews {

    /** A battery below this is marked low (the level the gateway reports battery-low at). */
    static final int LOW_BATTERY = 20;

    private DoorBoardViews() {
    }

    /**
     * One fact on a card.
     *
     * @param key   which fact ({@code battery}, {@code gateway}…), for the script and the tests
     * @param label its label
     * @param value its value
     * @param bad   whether it wants attention (marked in words as well as colour)
     */
    public record Fact(String key, String label, String value, boolean bad) {
    }

    /**
     * One door.
     *
     * @param id          the door
     * @param name        its name
     * @param room        its room
     * @param gatewayId   its gateway
     * @param gatewayName the gateway's name
     * @param look        its status
     * @param facts       battery, keypad, remote unlock, gateway, last event, bookings
     * @param operable    whether this member may unlock it remotely
     */
    public record Card(String id, String name, String room, String gatewayId, String gatewayName, DoorWords.Look look,
                List<Fact> facts, boolean operable) {
    }

    /**
     * A facility's doors.
     *
     * @param id    the facility
     * @param name  its name
     * @param cards its doors
     */
    public record Group(long id, String name, List<Card> cards) {
    }

    /**
     * One alarm.
     *
     * @param id           its id
     * @param kind         its kind's wire name
     * @param label        its kind in words
     * @param mark         its mark
     * @param where        the door or gateway
     * @param facility     the facility
     * @param raisedAt     first occurrence
     * @param lastAt       latest occurrence
     * @param occurrences  how many
     * @param escalated    when mailed, or empty
     * @param state        open, acknowledged or cleared
     * @param stateLabel   that in words
     * @param acknowledged by whom and when, or empty
     * @param note         their note, or empty
     * @param detail       the alarm's detail, or empty
     * @param operable     whether this member may acknowledge it
     */
    public record AlarmLine(String id, String kind, String label, String mark, String where, String facility, String raisedAt,
                     String lastAt, int occurrences, String escalated, String state, String stateLabel,
                     String acknowledged, String note, String detail, boolean operable) {
    }

    /**
     * @param doors    the board's doors
     * @param operable which facilities the member may operate doors at
     * @param zone     the town's zone
     * @param now      now
     * @param page     the page
     * @return the doors by facility, in the board's order
     */
    static List<Group> groups(List<DoorBoard.BoardDoor> doors, LongPredicate operable, ZoneId zone,
                              Instant now, Page page) {
        LocalDate today = now.atZone(zone).toLocalDate();
        Map<Long, Group> byFacility = new LinkedHashMap<>();
        for (DoorBoard.BoardDoor d : doors) {
            DoorBoard.Row p = d.place();
            byFacility.computeIfAbsent(p.facilityId(), id -> new Group(id, p.facilityName(), new ArrayList<>()))
                    .cards().add(new Card(p.doorId(), p.name(), p.roomName(), p.gatewayId(), p.gatewayName(),
                            DoorWords.look(d.status(), page), facts(d, zone, now, today, page),
                            operable.test(p.facilityId())));
        }
        return List.copyOf(byFacility.values());
    }

    private static List<Fact> facts(DoorBoard.BoardDoor d, ZoneId zone, Instant now, LocalDate today, Page page) {
        DoorState s = d.state();
        List<Fact> facts = new ArrayList<>();
        s.battery().ifPresent(level -> facts.add(new Fact("battery", page.t("電池", "Battery"), level + "%"
                + (level < LOW_BATTERY ? page.t("（残量低下）", " (low)") : ""), level < LOW_BATTERY)));
        if (d.lockedOut()) {
            facts.add(new Fact("keypad", page.t("暗証番号", "Keypad"), page.t("入力停止中", "Locked out"), true));
        }
        s.remoteUntil().filter(now::isBefore).ifPresent(until -> facts.add(new Fact("remote", page.t("遠隔解錠", "Remote unlock"),
                page.t(DoorWords.time(until, zone, today, page) + " まで", "until " + DoorWords.time(until, zone, today, page)),
                false)));
        if (!s.lockOnline()) {
            facts.add(new Fact("lock", page.t("電気錠", "Smart lock"), page.t("通信できない", "Not answering"), true));
        }
        Optional<String> seen = d.place().lastSeen().map(at -> DoorWords.time(at, zone, today, page));
        facts.add(new Fact("gateway", page.t("ゲートウェイ", "Gateway"), d.online()
                ? page.t("最終通信 ", "Last heard ") + seen.orElse("")
                : page.t("⊘ 通信途絶（最終通信 " + seen.orElse("なし") + "）",
                "⊘ Offline (last heard " + seen.orElse("never") + ")"), !d.online()));
        facts.add(new Fact("last", page.t("最後の出来事", "Last event"), s.lastType().map(type -> DoorWords.event(type,
                Optional.empty(), page) + " " + s.lastAt().map(at -> DoorWords.time(at, zone, today, page)).orElse(""))
                .orElse(page.t("なし", "None")), false));
        facts.add(new Fact("current", page.t("利用中", "In use"), d.current().map(b -> DoorWords.range(b.start(), b.end(),
                zone, today, page)).orElse(page.t("なし", "No")), false));
        facts.add(new Fact("next", page.t("次の予約", "Next booking"), d.next().map(b -> DoorWords.range(b.start(), b.end(),
                zone, today, page)).orElse(page.t("なし", "None")), false));
        return facts;
    }

    /**
     * @param alarms   alarms
     * @param names    what the board calls doors, gateways and facilities
     * @param staff    staff id → name
     * @param operable which facilities the member may acknowledge alarms at
     * @param zone     the town's zone
     * @param now      now
     * @param page     the page
     * @return the lines
     */
    static List<AlarmLine> alarms(List<Alarm> alarms, Names names, Function<UUID, String> staff,
                                  LongPredicate operable, ZoneId zone, Instant now, Page page) {
        LocalDate today = now.atZone(zone).toLocalDate();
        return alarms.stream().map(a -> {
            String state = a.acknowledgedAt().isPresent() ? "acknowledged" : a.clearedAt().isPresent() ? "cleared" : "open";
            String where = a.doorId().map(id -> names.doors().getOrDefault(id, id))
                    .or(() -> a.gatewayId().map(id -> names.gateways().getOrDefault(id, id))).orElse("");
            String acknowledged = a.acknowledgedAt().map(at -> a.acknowledgedBy().map(staff).orElse("") + "（"
                    + DoorWords.time(at, zone, today, page) + "）").orElse("");
            return new AlarmLine(a.id().toString(), a.kind().wire(), DoorWords.alarm(a.kind(), page),
                    DoorWords.alarmMark(a.kind()), where, names.facilities().getOrDefault(a.facilityId(), ""),
                    DoorWords.time(a.raisedAt(), zone, today, page), DoorWords.time(a.lastAt(), zone, today, page),
                    a.occurrences(), a.escalatedAt().map(at -> DoorWords.time(at, zone, today, page)).orElse(""), state,
                    switch (state) {
                        case "open" -> page.t("未確認", "Open");
                        case "acknowledged" -> page.t("確認済み", "Acknowledged");
                        default -> page.t("自然に解消", "Cleared by itself");
                    }, acknowledged, a.note().orElse(""), a.detail().orElse(""), operable.test(a.facilityId()));
        }).toList();
    }

    /**
     * What the board calls things, for alarms that name them by id.
     *
     * @param doors      door id → name
     * @param gateways   gateway id → name
     * @param facilities facility id → name
     */
    record Names(Map<String, String> doors, Map<String, String> gateways, Map<Long, String> facilities) {

        /**
         * @param board the board's doors
         * @return their names, their gateways' and their facilities'
         */
        static Names of(List<DoorBoard.BoardDoor> board) {
            Map<String, String> doors = new LinkedHashMap<>();
            Map<String, String> gateways = new LinkedHashMap<>();
            Map<Long, String> facilities = new LinkedHashMap<>();
            for (DoorBoard.BoardDoor d : board) {
                DoorBoard.Row p = d.place();
                doors.put(p.doorId(), p.name());
                gateways.put(p.gatewayId(), p.gatewayName());
                facilities.put(p.facilityId(), p.facilityName());
            }
            return new Names(doors, gateways, facilities);
        }
    }
}
