package jp.kominkan.cloud.backoffice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.reduction.ReductionCategories;
import jp.kominkan.cloud.reduction.ReductionCategory;
import jp.kominkan.cloud.reduction.RosterRule;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * The main administrator's page of 減免 categories (減免区分の設定): the municipality's list with each rate and
 * condition, a form to add one, and one category's form to change it, retire it or offer it again. A refused
 * form comes back with the message next to its field and nothing written.
 */
public final class ReductionCategoryPages implements HttpService {

    private final StaffSite site;
    private final ReductionCategories categories;

    /**
     * @param site       staff pages' support
     * @param categories the list
     */
    public ReductionCategoryPages(StaffSite site, ReductionCategories categories) {
        this.site = site;
        this.categories = categories;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/reduction-categories", site.guard(Permission.ADMINISTER, this::list))
                .post("/staff/reduction-categories", site.guard(Permission.ADMINISTER, this::add))
                .get("/staff/reduction-categories/{code}", site.guard(Permission.ADMINISTER, this::edit))
                .post("/staff/reduction-categories/{code}", site.guard(Permission.ADMINISTER, this::update))
                .post("/staff/reduction-categories/{code}/retire", site.guard(Permission.ADMINISTER, this::retire))
                .post("/staff/reduction-categories/{code}/reinstate", site.guard(Permission.ADMINISTER, this::reinstate));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        showList(req, res, town, me, Map.of(), Map.of("percent", "50"), Status.OK_200);
    }

    private void add(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        try {
            ReductionCategories.Entry added = categories.add(town, me, Actor.of(me, req), draft(form));
            site.redirect(res, "/staff/reduction-categories?done=added&code=" + added.category().code());
        } catch (Problem problem) {
            showList(req, res, town, me, StaffSite.error(req, problem, "code"), form, Status.create(problem.status()));
        }
    }

    private void edit(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        ReductionCategories.Entry entry = categories.one(town, me, code(req));
        showOne(req, res, town, me, entry, Map.of(), values(entry), Status.OK_200);
    }

    private void update(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        String code = code(req);
        ReductionCategories.Entry entry = categories.one(town, me, code);
        Map<String, String> form = site.form(req);
        try {
            ReductionCategories.Entry saved = categories.update(town, me, Actor.of(me, req), code, draft(form));
            site.redirect(res, "/staff/reduction-categories/" + saved.category().code() + "?done=saved");
        } catch (Problem problem) {
            showOne(req, res, town, me, entry, StaffSite.error(req, problem, "code"), form,
                    Status.create(problem.status()));
        }
    }

    private void retire(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        site.form(req);
        String code = code(req);
        categories.retire(town, me, Actor.of(me, req), code);
        site.redirect(res, "/staff/reduction-categories/" + code + "?done=retired");
    }

    private void reinstate(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        site.form(req);
        String code = code(req);
        categories.reinstate(town, me, Actor.of(me, req), code);
        site.redirect(res, "/staff/reduction-categories/" + code + "?done=reinstated");
    }

    private void showList(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                          Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        List<Row> rows = categories.list(town, me).stream().map(e -> row(e, town, page)).toList();
        Map<String, String> query = Formats.query(req, "done", "code");
        site.render(res, status, "staff/reductionCategories.jte", page, me, Map.of("rows", rows,
                "rules", List.of(RosterRule.values()), "done", query.getOrDefault("done", ""),
                "doneCode", query.getOrDefault("code", "")));
    }

    private void showOne(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                         ReductionCategories.Entry entry, Map<String, String> errors, Map<String, String> values,
                         Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        Map<String, Object> model = new HashMap<>();
        model.put("row", row(entry, town, page));
        model.put("rules", List.of(RosterRule.values()));
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        site.render(res, status, "staff/reductionCategory.jte", page, me, model);
    }

    private static Row row(ReductionCategories.Entry e, Municipality town, Page page) {
        ReductionCategory c = e.category();
        return new Row(c.code(), c.nameJa(), c.nameEn(), c.percent(), c.notWithAdmission(), c.appliesToEquipment(),
                c.requiresGroup(), c.rosterRule().map(r -> page.t(r.labelJa(), r.labelEn())).orElse(""), e.sortOrder(),
                e.retiredAt().map(at -> Formats.format(at, town.zone(), page)).orElse(""), e.applications(), e.linked(),
                e.inUse());
    }

    private static Map<String, String> values(ReductionCategories.Entry e) {
        ReductionCategory c = e.category();
        Map<String, String> values = new HashMap<>();
        values.put("code", c.code());
        values.put("nameJa", c.nameJa());
        values.put("nameEn", c.nameEn());
        values.put("percent", Integer.toString(c.percent()));
        values.put("rosterRule", c.rosterRule().map(RosterRule::wire).orElse(""));
        values.put("sortOrder", Integer.toString(e.sortOrder()));
        if (c.notWithAdmission()) {
            values.put("notWithAdmission", "on");
        }
        if (c.appliesToEquipment()) {
            values.put("appliesToEquipment", "on");
        }
        if (c.requiresGroup()) {
            values.put("requiresGroup", "on");
        }
        return values;
    }

    private static ReductionCategories.Draft draft(Map<String, String> form) {
        return new ReductionCategories.Draft(form.get("code"), form.get("nameJa"), form.get("nameEn"),
                form.get("percent"), "on".equals(form.get("notWithAdmission")),
                "on".equals(form.get("appliesToEquipment")), "on".equals(form.get("requiresGroup")),
                form.get("rosterRule"), form.get("sortOrder"));
    }

    /** The code in the path; one that cannot be a code is no category here. */
    static String code(ServerRequest req) {
        String code = req.path().pathParameters().get("code");
        if (code.length() > 40 || !code.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw Problem.notFound("category", "区分");
        }
        return code;
    }

    /**
     * A category as the pages show it.
     *
     * @param code               its code
     * @param nameJa             Japanese name
     * @param nameEn             English name
     * @param percent            rate off
     * @param notWithAdmission   not when admission is charged
     * @param appliesToEquipment equipment reduced too
     * @param requiresGroup      only for groups
     * @param rosterRule         the roster condition, in the page's language, or empty
     * @param sortOrder          its place
     * @param retiredAt          when retired, formatted, or empty
     * @param applications       applications naming it
     * @param linked             group categories linking it
     * @param inUse              whether its code can no longer change
     */
    public record Row(String code, String nameJa, String nameEn, int percent, boolean notWithAdmission,
                      boolean appliesToEquipment, boolean requiresGroup, String rosterRule, int sortOrder,
                      String retiredAt, long applications, long linked, boolean inUse) {

        /** @return whether it is still offered */
        public boolean offered() {
            return retiredAt.isEmpty();
        }
    }
}
