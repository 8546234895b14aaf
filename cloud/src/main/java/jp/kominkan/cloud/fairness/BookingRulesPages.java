package jp.kominkan.cloud.fairness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.backoffice.StaffSite;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The facility administrator's page of booking rules (予約の受付期間と上限): the booking window by who books and
 * the common quotas, one line each, in one form. Quotas set through the API that the page has no line for are
 * listed and kept. A refused form comes back with the message next to its field and nothing written.
 */
public final class BookingRulesPages implements HttpService {

    /** The quota lines the page offers. */
    static final List<Line> LINES = List.of(
            new Line("person", "bookings", "month", "all", "個人：1 か月の予約回数", "Person: bookings a month"),
            new Line("person", "bookings", "month", "holidays", "個人：1 か月の土日祝の予約回数",
                    "Person: weekend and holiday bookings a month"),
            new Line("person", "hours", "week", "all", "個人：1 週間の利用時間（時間）", "Person: hours a week"),
            new Line("group", "bookings", "month", "all", "団体：1 か月の予約回数", "Group: bookings a month"),
            new Line("group", "bookings", "month", "holidays", "団体：1 か月の土日祝の予約回数",
                    "Group: weekend and holiday bookings a month"),
            new Line("group", "hours", "week", "all", "団体：1 週間の利用時間（時間）", "Group: hours a week"));

    private final StaffSite site;
    private final BookingRulesAdmin admin;
    private final FacilityRepository facilities;

    /**
     * @param site       staff pages' support
     * @param admin      the rules' administration
     * @param facilities the facilities
     */
    public BookingRulesPages(StaffSite site, BookingRulesAdmin admin, FacilityRepository facilities) {
        this.site = site;
        this.admin = admin;
        this.facilities = facilities;
    }

    /**
     * A quota line of the form.
     *
     * @param subject person or group
     * @param measure bookings or hours
     * @param period  month or week
     * @param days    all or holidays
     * @param ja      its label in Japanese
     * @param en      its label in English
     */
    public record Line(String subject, String measure, String period, String days, String ja, String en) {
        boolean matches(Quota q) {
            return q.subjectWire().equals(subject) && q.measureWire().equals(measure) && q.periodWire().equals(period)
                    && q.daysWire().equals(days);
        }

        /** @return whether the line has a cap for unverified accounts */
        public boolean person() {
            return subject.equals("person");
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/facilities/{id}/booking-rules", site.guard(Permission.EDIT_FACILITIES, this::show))
                .post("/staff/facilities/{id}/booking-rules", site.guard(Permission.EDIT_FACILITIES, this::save));
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, req);
        FacilityRules rules = admin.rules(town, me, facility.id());
        render(req, res, town, me, facility, rules, Map.of(), values(rules),
                Formats.query(req, "done").getOrDefault("done", ""), Status.OK_200);
    }

    private void save(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(town, req);
        FacilityRules rules = admin.rules(town, me, facility.id());
        Map<String, String> form = site.form(req);
        List<Integer> lineOf = new ArrayList<>();
        try {
            admin.replace(town, me, Actor.of(me, req), facility.id(), draft(form, rules, lineOf));
            site.redirect(res, "/staff/facilities/" + facility.id() + "/booking-rules?done=saved");
        } catch (Problem problem) {
            String field = problem.field().map(f -> formField(f, lineOf)).orElse("form");
            render(req, res, town, me, facility, rules, Map.of(field, Formats.message(req, problem)), form, "",
                    Status.create(problem.status()));
        }
    }

    private void render(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, Facility facility,
                        FacilityRules rules, Map<String, String> errors, Map<String, String> values, String done,
                        Status status) {
        List<Quota> others = rules.quotas().stream().filter(q -> LINES.stream().noneMatch(l -> l.matches(q))).toList();
        site.render(res, status, "staff/bookingRules.jte", site.page(req, res, town).withForm(errors, values), me,
                Map.of("facility", facility, "lines", LINES, "others", others, "done", done));
    }

    private Facility facility(Municipality town, ServerRequest req) {
        return facilities.facility(town.id(), PathIds.number(req, "id"))
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
    }

    private static Map<String, String> values(FacilityRules rules) {
        Map<String, String> values = new HashMap<>();
        rules.window().ifPresent(w -> {
            values.put("window", "on");
            values.put("residentMonths", "" + w.residentMonths());
            values.put("nonResidentMonths", "" + w.nonResidentMonths());
            values.put("unverifiedDays", "" + w.unverifiedDays());
            values.put("opensDay", "" + w.opensDay());
            values.put("opensHour", "" + w.opensHour());
        });
        if (rules.window().isEmpty()) {
            values.putAll(Map.of("residentMonths", "3", "nonResidentMonths", "1", "unverifiedDays", "14",
                    "opensDay", "1", "opensHour", "9"));
        }
        for (int i = 0; i < LINES.size(); i++) {
            Line line = LINES.get(i);
            int at = i;
            rules.quotas().stream().filter(line::matches).findFirst().ifPresent(q -> {
                values.put("cap" + at, "" + q.cap());
                q.unverifiedCap().ifPresent(u -> values.put("unverified" + at, "" + u));
            });
        }
        return values;
    }

    private static RulesDraft draft(Map<String, String> form, FacilityRules rules, List<Integer> lineOf) {
        Optional<RulesDraft.Window> window = "on".equals(form.get("window"))
                ? Optional.of(new RulesDraft.Window(number(form, "residentMonths"), number(form, "nonResidentMonths"),
                number(form, "unverifiedDays"), number(form, "opensDay"), number(form, "opensHour")))
                : Optional.empty();
        List<RulesDraft.QuotaLine> quotas = new ArrayList<>();
        for (int i = 0; i < LINES.size(); i++) {
            String cap = form.getOrDefault("cap" + i, "").strip();
            if (cap.isEmpty()) {
                continue;
            }
            Line line = LINES.get(i);
            String unverified = form.getOrDefault("unverified" + i, "").strip();
            quotas.add(new RulesDraft.QuotaLine(line.subject(), line.measure(), line.period(), line.days(),
                    number(form, "cap" + i), unverified.isEmpty() ? null : number(form, "unverified" + i)));
            lineOf.add(i);
        }
        for (Quota q : rules.quotas()) {
            if (LINES.stream().noneMatch(l -> l.matches(q))) {
                quotas.add(new RulesDraft.QuotaLine(q.subjectWire(), q.measureWire(), q.periodWire(), q.daysWire(),
                        q.cap(), q.unverifiedCap().orElse(null)));
                lineOf.add(-1);
            }
        }
        return new RulesDraft(window, quotas);
    }

    /** A number as typed; anything else is sent on as out of range, so that the field's own message shows. */
    private static Integer number(Map<String, String> form, String field) {
        String value = java.text.Normalizer.normalize(form.getOrDefault(field, "").strip(), java.text.Normalizer.Form.NFKC);
        return value.matches("\\d{1,4}") ? Integer.valueOf(value) : Integer.valueOf(-1);
    }

    private static String formField(String apiField, List<Integer> lineOf) {
        if (apiField.startsWith("window.")) {
            return apiField.substring("window.".length());
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("quotas\\[(\\d+)]\\.?(\\w*)").matcher(apiField);
        if (m.matches()) {
            int line = lineOf.get(Integer.parseInt(m.group(1)));
            return line < 0 ? "form" : (m.group(2).equals("unverifiedCap") ? "unverified" : "cap") + line;
        }
        return "form";
    }
}
