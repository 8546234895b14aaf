package jp.kominkan.cloud.fairness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jp.kominkan.cloud.web.Problem;

/**
 * Fair booking rules as staff send them, from the API's JSON or the facility page's form, checked field by field
 * with a message in English and Japanese before anything is written.
 *
 * @param window the booking window; absent keeps each room's own horizon for everyone
 * @param quotas the quotas
 */
public record RulesDraft(Optional<Window> window, List<QuotaLine> quotas) {

    /** Normalises absent parts. */
    public RulesDraft {
        window = window == null ? Optional.empty() : window;
        quotas = quotas == null ? List.of() : quotas;
    }

    /**
     * A booking window as sent.
     *
     * @param residentMonths    months ahead for verified residents and groups
     * @param nonResidentMonths months ahead for verified non-residents
     * @param unverifiedDays    days ahead for unverified accounts
     * @param opensDay          day of the month it opens
     * @param opensHour         hour it opens
     */
    public record Window(Integer residentMonths, Integer nonResidentMonths, Integer unverifiedDays, Integer opensDay,
                         Integer opensHour) {
    }

    /**
     * A quota as sent.
     *
     * @param subject       person or group
     * @param measure       bookings or hours
     * @param period        month or week
     * @param days          all or holidays (土日祝)
     * @param cap           the most
     * @param unverifiedCap the most for unverified accounts, or null
     */
    public record QuotaLine(String subject, String measure, String period, String days, Integer cap,
                            Integer unverifiedCap) {
    }

    /**
     * @return the rules, checked
     * @throws Problem 400 naming the first field that is wrong
     */
    public FacilityRules rules() {
        Optional<BookingWindow> checkedWindow = window.map(RulesDraft::window);
        if (quotas.size() > FacilityRules.MAX_QUOTAS) {
            throw Problem.badField("quotas", "At most " + FacilityRules.MAX_QUOTAS + " quotas per facility.",
                    "上限の設定は 1 施設 " + FacilityRules.MAX_QUOTAS + " 件までです。");
        }
        List<Quota> checked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < quotas.size(); i++) {
            Quota q = quota(quotas.get(i), "quotas[" + i + "]");
            if (!seen.add(q.subject() + "/" + q.measure() + "/" + q.period() + "/" + q.days())) {
                throw Problem.badField("quotas[" + i + "]", "The same quota is given twice.",
                        "同じ種類の上限が 2 回指定されています。");
            }
            checked.add(q);
        }
        return new FacilityRules(checkedWindow, checked);
    }

    private static BookingWindow window(Window w) {
        int resident = number(w.residentMonths(), "window.residentMonths", 0, 24, "市内・団体の受付（か月前）");
        int nonResident = number(w.nonResidentMonths(), "window.nonResidentMonths", 0, 24, "市外の受付（か月前）");
        int unverified = number(w.unverifiedDays(), "window.unverifiedDays", 0, 730, "本人確認前の受付（日前）");
        int day = number(w.opensDay(), "window.opensDay", 1, 28, "受付開始日");
        int hour = number(w.opensHour(), "window.opensHour", 0, 23, "受付開始時刻");
        if (nonResident > resident) {
            throw Problem.badField("window.nonResidentMonths",
                    "Non-residents cannot book further ahead than residents.",
                    "市外の方の受付は、市内の方より先にはできません。");
        }
        return new BookingWindow(resident, nonResident, unverified, day, hour);
    }

    private static Quota quota(QuotaLine line, String at) {
        Quota.Subject subject = choice(Quota.Subject.class, line.subject(), at + ".subject", "person, group");
        Quota.Measure measure = choice(Quota.Measure.class, line.measure(), at + ".measure", "bookings, hours");
        Quota.Period period = choice(Quota.Period.class, line.period(), at + ".period", "month, week");
        Quota.Days days = choice(Quota.Days.class, line.days(), at + ".days", "all, holidays");
        int cap = number(line.cap(), at + ".cap", 1, 1000, "上限");
        Optional<Integer> unverified = Optional.ofNullable(line.unverifiedCap());
        if (unverified.isPresent()) {
            if (subject == Quota.Subject.GROUP) {
                throw Problem.badField(at + ".unverifiedCap", "Only a person's quota has an unverified cap.",
                        "本人確認前の上限は個人の上限にだけ設定できます。");
            }
            number(unverified.get(), at + ".unverifiedCap", 0, cap, "本人確認前の上限");
        }
        return new Quota(0, subject, measure, period, days, cap, unverified);
    }

    private static int number(Integer value, String field, int min, int max, String japanese) {
        if (value == null || value < min || value > max) {
            throw Problem.badField(field, field + " must be a whole number from " + min + " to " + max + ".",
                    japanese + "は " + min + "〜" + max + " の整数で指定してください。");
        }
        return value;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String field, String allowed) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
                return e;
            }
        }
        throw Problem.badField(field, field + " must be one of " + allowed + ".",
                field + " は " + allowed + " のいずれかで指定してください。");
    }
}
