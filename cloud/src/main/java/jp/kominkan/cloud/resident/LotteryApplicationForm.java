package jp.kominkan.cloud.resident;

import java.text.Normalizer;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.cloud.lottery.Applications;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.lottery.Unit;
import jp.kominkan.cloud.page.Lang;

/**
 * The resident's application form (抽選の申込), read: the group, the purpose, the number attending and the wishes.
 * It exists apart from {@link LotteryPages} because the form works without script — a wish is posted as a unit and
 * how many consecutive units to take with it — and turning that into the unit ids the domain's
 * {@link Applications.Request} holds (the round's units in room and time order, a set only of units that follow one
 * another without a gap in one room on one day) is the one part of the pages with rules of its own. Each field that
 * cannot be read gets its message in the errors map, in the form's order; what the domain checks is left to it.
 */
final class LotteryApplicationForm {

    private LotteryApplicationForm() {
    }

    /**
     * Reads the posted form.
     *
     * @param round  the round applied to, with its units
     * @param form   the posted fields
     * @param zone   the municipality's zone (a set stays within one day there)
     * @param lang   the language of the messages
     * @param errors where each field's message goes, in the form's order
     * @return the request, or empty when a field could not be read (its message is in {@code errors})
     */
    static Optional<Applications.Request> read(Results.PublicRound round, Map<String, String> form, ZoneId zone,
                                               Lang lang, Map<String, String> errors) {
        Optional<Long> groupId = Optional.empty();
        String group = form.getOrDefault("groupId", "").strip();
        if (!group.isEmpty()) {
            try {
                groupId = Optional.of(Long.parseLong(group));
            } catch (NumberFormatException e) {
                errors.put("groupId", t(lang, "団体を一覧から選んでください。", "Choose a group from the list."));
            }
        }
        String purpose = form.getOrDefault("purpose", "");
        if (purpose.isBlank()) {
            errors.put("purpose", t(lang, "利用目的を入力してください。", "Say what the room is for."));
        }
        int attendees = 0;
        String people = Normalizer.normalize(form.getOrDefault("attendees", ""), Normalizer.Form.NFKC).strip();
        if (people.isEmpty()) {
            errors.put("attendees", t(lang, "利用人数を入力してください。", "Give the number of people."));
        } else {
            try {
                attendees = Integer.parseInt(people);
            } catch (NumberFormatException e) {
                attendees = -1;
            }
            if (attendees < 1 || attendees > 10_000) {
                errors.put("attendees", t(lang, "利用人数は 1 以上の数字で入力してください。",
                        "Give the number of people as a number from 1."));
            }
        }
        List<List<Long>> wishes = wishes(round, form, zone, lang, errors);
        if (!errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Applications.Request(groupId, purpose, attendees, wishes));
    }

    /**
     * The wishes as posted: for each rank, a unit ({@code wish-N}) and how many units from it
     * ({@code wish-N-length}), which are it and the units that follow it in the same room on the same day without
     * a gap.
     */
    private static List<List<Long>> wishes(Results.PublicRound round, Map<String, String> form, ZoneId zone,
                                           Lang lang, Map<String, String> errors) {
        LotteryRules rules = round.round().rules();
        List<Unit> units = inOrder(round.units());
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < units.size(); i++) {
            position.put(units.get(i).id(), i);
        }
        List<List<Long>> wishes = new ArrayList<>();
        int blank = 0;
        for (int rank = 1; rank <= rules.maxWishes(); rank++) {
            String field = "wish-" + rank;
            String chosen = form.getOrDefault(field, "").strip();
            if (chosen.isEmpty()) {
                if (rank == 1) {
                    errors.put(field, t(lang, "第1希望の枠を選んでください。", "Choose the unit of your first wish."));
                }
                blank = blank == 0 ? rank : blank;
                continue;
            }
            if (blank > 0) {
                errors.put(field, t(lang, "第" + blank + "希望が空欄です。希望は第1希望から順に選んでください。",
                        "Wish " + blank + " is empty: fill the wishes in order from the first."));
                continue;
            }
            Integer at;
            try {
                at = position.get(Long.parseLong(chosen));
            } catch (NumberFormatException e) {
                at = null;
            }
            if (at == null) {
                errors.put(field, t(lang, "第" + rank + "希望は、この抽選の枠から選んでください。",
                        "Choose wish " + rank + " from this round's units."));
                continue;
            }
            int length;
            try {
                length = Integer.parseInt(form.getOrDefault(field + "-length", "1").strip());
            } catch (NumberFormatException e) {
                length = 0;
            }
            if (length < 1 || length > rules.maxSetLength()) {
                errors.put(field + "-length", t(lang, "続けて使う枠は 1〜" + rules.maxSetLength() + " 枠で選んでください。",
                        "Take 1 to " + rules.maxSetLength() + " units in a row."));
                continue;
            }
            List<Long> wish = new ArrayList<>(List.of(units.get(at).id()));
            for (int next = at + 1; next < at + length; next++) {
                Unit before = units.get(next - 1);
                Unit unit = next < units.size() ? units.get(next) : null;
                if (unit == null || unit.roomId() != before.roomId()
                        || !unit.range().start().equals(before.range().end())
                        || !unit.range().start().atZone(zone).toLocalDate()
                        .equals(before.range().start().atZone(zone).toLocalDate())) {
                    errors.put(field + "-length", t(lang, "第" + rank + "希望: 「" + units.get(at).label() + "」から続けて "
                                    + length + " 枠は選べません。同じ日・同じ部屋で間を空けずに続く枠が足りません。",
                            "Wish " + rank + ": " + length + " units in a row from " + units.get(at).label()
                                    + " do not exist; not enough units follow without a gap in the same room"
                                    + " that day."));
                    wish = null;
                    break;
                }
                wish.add(unit.id());
            }
            if (wish != null) {
                wishes.add(wish);
            }
        }
        return wishes;
    }

    /** The units in room and time order: the order of the form's lists, and the order a set of wishes runs in. */
    static List<Unit> inOrder(List<Unit> units) {
        return units.stream().sorted(Comparator.comparingLong(Unit::roomId).thenComparing(u -> u.range().start())
                .thenComparingLong(Unit::id)).toList();
    }

    private static String t(Lang lang, String japanese, String english) {
        return lang == Lang.EN ? english : japanese;
    }
}
