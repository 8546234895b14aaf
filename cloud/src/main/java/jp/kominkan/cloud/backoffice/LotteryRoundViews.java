package jp.kominkan.cloud.backoffice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.Round;
import jp.kominkan.cloud.lottery.RoundSchedule;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;

/**
 * What the staff's lottery templates ({@code staff/lotteryRounds.jte}, {@code staff/lotteryRoundNew.jte},
 * {@code staff/lotteryRoundFacility.jte}, {@code staff/lotteryRound.jte}, {@code staff/lotteryErrors.jte}) are given:
 * the records they read, and the lines — schedule, rules, tiers, look-alike households, the error summary — made from
 * a round in the member's language. It exists apart from {@link LotteryRoundPages} so that the pages keep only their
 * routes and handlers; the templates name these records by their full names.
 */
public final class LotteryRoundViews {

    private LotteryRoundViews() {
    }

    static List<ClusterLine> clusterLines(Map<String, List<List<String>>> clusters, Page page) {
        List<ClusterLine> lines = new ArrayList<>();
        clusters.forEach((kind, list) -> lines.add(new ClusterLine(switch (kind) {
            case "address" -> page.t("同じ住所", "Same address");
            case "phone" -> page.t("同じ電話番号", "Same telephone");
            case "email" -> page.t("同じメールアドレス", "Same e-mail");
            default -> kind;
        }, list)));
        return lines;
    }

    static List<Fact> scheduleLines(RoundSchedule s, Municipality town, Page page) {
        return List.of(new Fact(page.t("申込期間", "Applications"), window(s, town, page)),
                new Fact(page.t("抽選", "Draw"), Formats.format(s.drawAt(), town.zone(), page) + page.t(" から", " onwards")),
                new Fact(page.t("当選確定期限", "Winners confirm by"), Formats.format(s.confirmBy(), town.zone(), page)
                        + page.t(" まで", "")),
                new Fact(page.t("先着順の受付開始", "First-come opens"), Formats.format(s.firstComeAt(), town.zone(), page)));
    }

    static List<Fact> ruleLines(LotteryRules r, Page page) {
        return List.of(new Fact(page.t("希望", "Wishes"), page.t("第" + r.maxWishes() + "希望まで・連続 " + r.maxSetLength()
                        + " 枠まで", "up to " + r.maxWishes() + ", sets of up to " + r.maxSetLength() + " units")),
                new Fact(page.t("申込件数", "Applications"), page.t("1 人 " + r.applicationsPerPerson() + " 件・1 団体 "
                        + r.applicationsPerGroup() + " 件まで", r.applicationsPerPerson() + " per person, "
                        + r.applicationsPerGroup() + " per group")),
                new Fact(page.t("当選件数", "Wins"), page.t("1 人 " + r.winsPerPerson() + " 件・1 団体 " + r.winsPerGroup()
                        + " 件まで", r.winsPerPerson() + " per person, " + r.winsPerGroup() + " per group")),
                new Fact(page.t("補欠", "Substitutes"), page.t("1 枠 " + r.substitutes() + " 人まで", r.substitutes()
                        + " per unit")),
                new Fact(page.t("申込の資格", "Who may apply"), page.t(
                        (r.eligibility().residency().equals("resident") ? "市内在住の方" : "どなたでも")
                                + (r.eligibility().groupsOnly() ? "・登録団体のみ" : "") + "・利用人数 "
                                + r.eligibility().minAttendees() + " 人以上"
                                + (r.eligibility().minGroupMembers() > 0 ? "・団体の構成員 "
                                + r.eligibility().minGroupMembers() + " 人以上" : ""),
                        (r.eligibility().residency().equals("resident") ? "residents" : "anyone")
                                + (r.eligibility().groupsOnly() ? ", registered groups only" : "") + ", at least "
                                + r.eligibility().minAttendees() + " attending")),
                new Fact(page.t("優先順位", "Priority"), String.join(" → ", r.tierNames())));
    }

    static List<Fact> tierLines(Round round, Map<Integer, Integer> byTier) {
        List<String> names = round.rules().tierNames();
        List<Fact> lines = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            lines.add(new Fact(names.get(i), Integer.toString(byTier.getOrDefault(i, 0))));
        }
        return lines;
    }

    static String window(RoundSchedule s, Municipality town, Page page) {
        return Formats.format(s.opensAt(), town.zone(), page) + " 〜 " + Formats.format(s.closesAt(), town.zone(), page);
    }

    /** The error summary: each message with the field it links to. */
    static List<ErrorLink> links(Map<String, String> errors, Map<String, String> anchors) {
        return errors.entrySet().stream().map(e -> new ErrorLink(anchors.getOrDefault(e.getKey(), e.getKey()),
                e.getValue())).toList();
    }

    /**
     * A round in the list.
     *
     * @param id          the round
     * @param name        its name
     * @param facility    its facility's name
     * @param status      its status in words
     * @param statusWire  its status's code
     * @param window      the application window
     * @param drawAt      the earliest draw
     * @param firstComeAt the first-come opening
     */
    public record RoundLine(long id, String name, String facility, String status, String statusWire, String window,
                            String drawAt, String firstComeAt) {
    }

    /**
     * A unit of a round.
     *
     * @param label  its label
     * @param room   its room
     * @param demand applications wishing for it
     * @param held   whether its lottery block still holds it
     */
    public record UnitLine(String label, String room, int demand, boolean held) {
    }

    /**
     * An application's result.
     *
     * @param publicId          its number
     * @param name              the applicant
     * @param group             the group, or empty
     * @param tier              its priority tier
     * @param residency         {@code resident} or {@code non-resident}
     * @param outcome           its outcome in words
     * @param wonRank           the wish won, or empty
     * @param reservationStatus the reservation's status code, or empty
     */
    public record ResultLine(String publicId, String name, String group, String tier, String residency,
                             String outcome, String wonRank, String reservationStatus) {
    }

    /**
     * Applications sharing one thing.
     *
     * @param kind     what they share, in words
     * @param clusters each cluster's application numbers
     */
    public record ClusterLine(String kind, List<List<String>> clusters) {
    }

    /**
     * A label and its value.
     *
     * @param label the label
     * @param value the value
     */
    public record Fact(String label, String value) {
    }

    /**
     * A number of the rules on the form.
     *
     * @param name its field
     * @param ja   its label in Japanese
     * @param en   its label in English
     * @param min  the least allowed
     * @param max  the most allowed
     */
    public record NumberField(String name, String ja, String en, int min, int max) {
    }

    /**
     * A day checkbox.
     *
     * @param name  its field
     * @param label its label
     */
    public record DayChoice(String name, String label) {
    }

    /**
     * An entry of the error summary.
     *
     * @param anchor  the field's id, or empty for none
     * @param message the message
     */
    public record ErrorLink(String anchor, String message) {
    }
}
