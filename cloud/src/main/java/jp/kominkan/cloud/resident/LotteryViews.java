package jp.kominkan.cloud.resident;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.kominkan.cloud.group.Category;
import jp.kominkan.cloud.lottery.LotteryRules;
import jp.kominkan.cloud.lottery.Results;
import jp.kominkan.cloud.lottery.Round;
import jp.kominkan.cloud.lottery.RoundStatus;
import jp.kominkan.cloud.lottery.WinRepository;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;

/**
 * What the resident's lottery templates ({@code lottery.jte}, {@code lotteryRound.jte},
 * {@code lotteryApplications.jte}) are given: the rows they read and the words they show, made from the domain's
 * rounds, applications and wins. It exists apart from {@link LotteryPages} so that the pages keep only their routes
 * and handlers, and so that how a round, a rule or a win reads to a resident — in Japanese or English, as of now — is
 * in one place; the templates name these records by their full names.
 */
public final class LotteryViews {

    private LotteryViews() {
    }

    /** The rules in words, as residents read them. */
    static List<String> ruleWords(LotteryRules rules, Page page, List<Category> categories) {
        List<String> words = new ArrayList<>();
        words.add(page.t("1 件の申込で第" + rules.maxWishes() + "希望まで選べます。当選するのはそのうち 1 つだけです。",
                "Each application gives up to " + rules.maxWishes() + " wishes, in order; at most one of them wins."));
        words.add(rules.maxSetLength() > 1
                ? page.t("1 つの希望で、同じ日・同じ部屋で続く枠を連続 " + rules.maxSetLength() + " 枠までまとめて申し込めます。"
                        + "まとめた枠は、すべて当選するか、すべて当選しないかのどちらかです。",
                "One wish may join up to " + rules.maxSetLength() + " consecutive units of one room on one day; they"
                        + " are won all together or not at all.")
                : page.t("1 つの希望は 1 枠です。", "Each wish is one unit."));
        words.add(page.t("申込はお一人 " + rules.applicationsPerPerson() + " 件まで、1 団体 " + rules.applicationsPerGroup()
                        + " 件までです。", "Up to " + rules.applicationsPerPerson() + " applications per person and "
                        + rules.applicationsPerGroup() + " per group."));
        words.add(page.t("当選はお一人 " + rules.winsPerPerson() + " 件まで、1 団体 " + rules.winsPerGroup() + " 件までです。",
                "Up to " + rules.winsPerPerson() + " wins per person and " + rules.winsPerGroup() + " per group."));
        words.add(rules.substitutes() > 0
                ? page.t("補欠は各枠 " + rules.substitutes() + " 番までです。", "Up to " + rules.substitutes()
                + " substitutes per unit.")
                : page.t("補欠はありません。", "No substitutes are listed."));
        LotteryRules.Eligibility e = rules.eligibility();
        words.add(e.residency().equals("resident")
                ? page.t("申し込めるのは市内在住の方のみです。", "Residents of the municipality only.")
                : page.t("市内・市外を問わず申し込めます（市内在住の方が優先される場合は、下の優先順位のとおりです）。",
                "Anyone may apply, resident or not (residents come first where the priority below says so)."));
        if (e.groupsOnly()) {
            words.add(page.t("登録団体のみ: 代表者として、承認済みの団体で申し込んでください。",
                    "Registered groups only: apply for an approved group you represent."));
        }
        if (!e.groupCategories().isEmpty()) {
            List<String> names = e.groupCategories().stream().map(code -> categories.stream()
                    .filter(c -> c.code().equals(code)).findFirst().map(c -> page.t(c.nameJa(), c.nameEn()))
                    .orElse(code)).toList();
            words.add(page.t("団体の区分: " + String.join("・", names) + " の団体のみ。",
                    "Group categories: " + String.join(", ", names) + " only."));
        }
        if (e.minAttendees() > 1) {
            words.add(page.t("利用人数 " + e.minAttendees() + " 名以上が条件です。",
                    "At least " + e.minAttendees() + " people must attend."));
        }
        if (e.minGroupMembers() > 0) {
            words.add(page.t("団体の構成員（名簿）が " + e.minGroupMembers() + " 名以上必要です。",
                    "A group needs at least " + e.minGroupMembers() + " members on its roster."));
        }
        words.add(page.t("申し込むには、マイナンバーカードによる本人確認が必要です。お一人は、いくつアカウントをお持ちでも"
                        + "一人の申込者です。", "Applying needs an identity verified with the My Number Card; one person is"
                        + " one applicant, whatever accounts they hold."));
        return words;
    }

    /** The error summary: each message with the field it links to ({@code form}'s links nowhere). */
    static List<ErrorLink> summary(Map<String, String> errors) {
        List<ErrorLink> links = new ArrayList<>();
        errors.forEach((field, message) -> links.add(new ErrorLink(switch (field) {
            case "form" -> "";
            case "wishes" -> "wish-1";
            default -> field;
        }, message)));
        return links;
    }

    /**
     * A round in the list and at the top of its page.
     *
     * @param id          the round
     * @param name        its name
     * @param status      its status in words ({@link RoundStatus#japanese()} in Japanese)
     * @param badge       the badge's style
     * @param phase       for an open round, where the window is (受付中・受付開始前・締切); otherwise empty
     * @param opensAt     applications open
     * @param closesAt    applications close
     * @param drawAt      the draw
     * @param confirmBy   wins confirmed by
     * @param firstComeAt leftovers first-come from
     */
    public record RoundRow(long id, String name, String status, String badge, String phase, String opensAt,
                           String closesAt, String drawAt, String confirmBy, String firstComeAt) {

        static RoundRow of(Round r, ZoneId zone, Page page, Instant now) {
            String phase = "";
            if (r.status() == RoundStatus.OPEN) {
                phase = r.accepting(now) ? page.t("申込受付中", "Taking applications")
                        : now.isBefore(r.schedule().opensAt()) ? page.t("申込開始前", "Not open yet")
                        : page.t("締切済み（抽選の準備中）", "Closed; the draw is being prepared");
            }
            String status = page.t(r.status().japanese(), switch (r.status()) {
                case OPEN -> "Applications";
                case CLOSED -> "Awaiting the draw";
                case PUBLISHED -> "Drawn";
                case FINISHED -> "Finished";
                case CANCELLED -> "Called off";
            });
            String badge = r.status() == RoundStatus.OPEN && r.accepting(now) ? "ok"
                    : r.status() == RoundStatus.PUBLISHED || r.status() == RoundStatus.CLOSED ? "warn" : "none";
            var s = r.schedule();
            return new RoundRow(r.id(), r.name(), status, badge, phase, Formats.format(s.opensAt(), zone, page),
                    Formats.format(s.closesAt(), zone, page), Formats.format(s.drawAt(), zone, page),
                    Formats.format(s.confirmBy(), zone, page), Formats.format(s.firstComeAt(), zone, page));
        }
    }

    /**
     * A unit of a round.
     *
     * @param id     the unit
     * @param room   its room's name
     * @param label  e.g. 2月6日(土) 午前 9:00–12:00
     * @param demand applications wishing for it
     */
    public record UnitRow(long id, String room, String label, int demand) {
    }

    /**
     * A line of the error summary.
     *
     * @param field   the id of the field it links to; empty for an error of the whole form
     * @param message the message
     */
    public record ErrorLink(String field, String message) {
    }

    /**
     * One of the resident's applications.
     *
     * @param publicId    its number (申込番号)
     * @param roundId     its round
     * @param round       the round's name
     * @param tier        its priority tier
     * @param wishes      its wishes' labels, first first
     * @param outcome     applied, won, substitute or lost
     * @param withdrawable whether it may still be withdrawn
     * @param win         what it won
     * @param substitutes its places on substitute lists
     */
    public record MineRow(String publicId, long roundId, String round, String tier, List<String> wishes, String outcome,
                          boolean withdrawable, Optional<Won> win, List<Place> substitutes) {

        static MineRow of(Results.Mine m, ZoneId zone, Page page, Instant now) {
            List<Place> places = new ArrayList<>();
            m.substitutes().forEach((label, place) -> places.add(new Place(label, place)));
            return new MineRow(m.publicId(), m.round().id(), m.round().name(), m.tier(), m.wishes(), m.outcome(),
                    m.outcome().equals("applied") && m.round().accepting(now), won(m, zone, page, now), places);
        }
    }

    /**
     * A place on a unit's substitute list.
     *
     * @param unit     the unit's label
     * @param position 1 for the first substitute
     */
    public record Place(String unit, int position) {
    }

    /**
     * A win and its reservation.
     *
     * @param reservationId the reservation
     * @param rank          the wish won (1 for 第1希望)
     * @param promoted      whether won as a substitute (繰り上げ当選)
     * @param status        the reservation's status in words
     * @param badge         the badge's style
     * @param open          whether it waits to be confirmed (held, before its deadline)
     * @param confirmBy     the deadline in words, or empty
     * @param amount        the fee; 0 for a free room, confirmed without paying
     */
    public record Won(UUID reservationId, int rank, boolean promoted, String status, String badge, boolean open,
                      String confirmBy, int amount) {
    }

    /** The win of an application, with its reservation's state as of now (a hold past its deadline has lapsed). */
    private static Optional<Won> won(Results.Mine m, ZoneId zone, Page page, Instant now) {
        return m.win().map(win -> won(win, zone, page, now));
    }

    private static Won won(WinRepository.StoredWin win, ZoneId zone, Page page, Instant now) {
        Optional<Instant> deadline = win.holdExpiresAt();
        boolean lapsed = win.reservationStatus().equals("held") && deadline.filter(d -> !now.isBefore(d)).isPresent();
        String status = lapsed ? "expired" : win.reservationStatus();
        return new Won(win.reservationId(), win.rank(), win.source().equals("substitute"), switch (status) {
            case "held" -> page.t("当選（確定待ち）", "Won; waiting to be confirmed");
            case "confirmed" -> page.t("予約確定", "Confirmed");
            case "cancelled" -> page.t("辞退・取消済み", "Declined or cancelled");
            default -> page.t("期限切れ（確定されませんでした）", "Lapsed (not confirmed in time)");
        }, switch (status) {
            case "confirmed" -> "ok";
            case "held" -> "warn";
            default -> "none";
        }, status.equals("held"), status.equals("held")
                ? deadline.map(d -> Formats.format(d, zone, page)).orElse("") : "", win.amount());
    }
}
