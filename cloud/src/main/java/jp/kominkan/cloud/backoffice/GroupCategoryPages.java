package jp.kominkan.cloud.backoffice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.group.Category;
import jp.kominkan.cloud.group.GroupCategories;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * The main administrator's page of group categories (団体区分の設定): the municipality's list with how long an
 * approval lasts and the 減免 category each gives, a form to add one, and one category's form to change it,
 * retire it or offer it again. A refused form comes back with the message next to its field and nothing written.
 */
public final class GroupCategoryPages implements HttpService {

    private final StaffSite site;
    private final GroupCategories categories;

    /**
     * @param site       staff pages' support
     * @param categories the list
     */
    public GroupCategoryPages(StaffSite site, GroupCategories categories) {
        this.site = site;
        this.categories = categories;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/group-categories", site.guard(Permission.ADMINISTER, this::list))
                .post("/staff/group-categories", site.guard(Permission.ADMINISTER, this::add))
                .get("/staff/group-categories/{code}", site.guard(Permission.ADMINISTER, this::edit))
                .post("/staff/group-categories/{code}", site.guard(Permission.ADMINISTER, this::update))
                .post("/staff/group-categories/{code}/retire", site.guard(Permission.ADMINISTER, this::retire))
                .post("/staff/group-categories/{code}/reinstate", site.guard(Permission.ADMINISTER, this::reinstate));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        showList(req, res, town, me, Map.of(), Map.of("validityMonths", "12"), Status.OK_200);
    }

    private void add(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        try {
            GroupCategories.Entry added = categories.add(town, me, Actor.of(me, req), draft(form));
            site.redirect(res, "/staff/group-categories?done=added&code=" + added.category().code());
        } catch (Problem problem) {
            showList(req, res, town, me, StaffSite.error(req, problem, "code"), form, Status.create(problem.status()));
        }
    }

    private void edit(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        GroupCategories.Entry entry = categories.one(town, me, ReductionCategoryPages.code(req));
        showOne(req, res, town, me, entry, Map.of(), values(entry), Status.OK_200);
    }

    private void update(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        String code = ReductionCategoryPages.code(req);
        GroupCategories.Entry entry = categories.one(town, me, code);
        Map<String, String> form = site.form(req);
        try {
            GroupCategories.Entry saved = categories.update(town, me, Actor.of(me, req), code, draft(form));
            site.redirect(res, "/staff/group-categories/" + saved.category().code() + "?done=saved");
        } catch (Problem problem) {
            showOne(req, res, town, me, entry, StaffSite.error(req, problem, "code"), form,
                    Status.create(problem.status()));
        }
    }

    private void retire(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        site.form(req);
        String code = ReductionCategoryPages.code(req);
        categories.retire(town, me, Actor.of(me, req), code);
        site.redirect(res, "/staff/group-categories/" + code + "?done=retired");
    }

    private void reinstate(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        site.form(req);
        String code = ReductionCategoryPages.code(req);
        categories.reinstate(town, me, Actor.of(me, req), code);
        site.redirect(res, "/staff/group-categories/" + code + "?done=reinstated");
    }

    private void showList(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                          Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        List<GroupCategories.Choice> choices = categories.reductionChoices(town, me);
        List<Row> rows = categories.list(town, me).stream().map(e -> row(e, choices, town, page)).toList();
        Map<String, String> query = Formats.query(req, "done", "code");
        site.render(res, status, "staff/groupCategories.jte", page, me, Map.of("rows", rows, "choices", choices,
                "done", query.getOrDefault("done", ""), "doneCode", query.getOrDefault("code", "")));
    }

    private void showOne(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                         GroupCategories.Entry entry, Map<String, String> errors, Map<String, String> values,
                         Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        List<GroupCategories.Choice> choices = categories.reductionChoices(town, me);
        Map<String, Object> model = new HashMap<>();
        model.put("row", row(entry, choices, town, page));
        model.put("choices", choices);
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        site.render(res, status, "staff/groupCategory.jte", page, me, model);
    }

    private static Row row(GroupCategories.Entry e, List<GroupCategories.Choice> choices, Municipality town, Page page) {
        Category c = e.category();
        String reduction = c.reductionCode().map(code -> choices.stream().filter(x -> x.code().equals(code))
                .findFirst().map(x -> page.t(x.nameJa(), x.nameEn()))
                .orElse(code + page.t("（廃止または未登録）", " (retired or unknown)"))).orElse("");
        return new Row(c.code(), c.nameJa(), c.nameEn(), c.validityMonths(), reduction, e.sortOrder(),
                e.retiredAt().map(at -> Formats.format(at, town.zone(), page)).orElse(""), e.groups(), e.inUse());
    }

    private static Map<String, String> values(GroupCategories.Entry e) {
        Category c = e.category();
        Map<String, String> values = new HashMap<>();
        values.put("code", c.code());
        values.put("nameJa", c.nameJa());
        values.put("nameEn", c.nameEn());
        values.put("validityMonths", Integer.toString(c.validityMonths()));
        values.put("reductionCode", c.reductionCode().orElse(""));
        values.put("sortOrder", Integer.toString(e.sortOrder()));
        return values;
    }

    private static GroupCategories.Draft draft(Map<String, String> form) {
        return new GroupCategories.Draft(form.get("code"), form.get("nameJa"), form.get("nameEn"),
                form.get("validityMonths"), form.get("reductionCode"), form.get("sortOrder"));
    }

    /**
     * A category as the pages show it.
     *
     * @param code           its code
     * @param nameJa         Japanese name
     * @param nameEn         English name
     * @param validityMonths how long an approval lasts
     * @param reduction      the linked 減免 category's name, or empty
     * @param sortOrder      its place
     * @param retiredAt      when retired, formatted, or empty
     * @param groups         groups naming it
     * @param inUse          whether its code can no longer change
     */
    public record Row(String code, String nameJa, String nameEn, int validityMonths, String reduction, int sortOrder,
                      String retiredAt, long groups, boolean inUse) {

        /** @return whether it is still offered */
        public boolean offered() {
            return retiredAt.isEmpty();
        }
    }
}
