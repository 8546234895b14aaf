package jp.kominkan.cloud.resident;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.group.EvidenceUpload;
import jp.kominkan.cloud.group.GroupFile;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.group.Member;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The resident's group pages (団体登録): their groups, registering one, the draft's details, roster and
 * evidence on one page, sending it for review, the staff's note, and renewal. Forms work without
 * script: the roster shows its members and a few empty rows, and "add rows" saves and shows more.
 */
public final class GroupPages implements HttpService {

    private static final int BLANK_ROWS = 3;

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final Groups groups;
    private final Clock clock;

    /**
     * @param pages   templates, CSRF, language
     * @param tenancy finds the municipality
     * @param groups  the groups
     * @param clock   the clock
     */
    public GroupPages(PageSupport pages, Tenancy tenancy, Groups groups, Clock clock) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.groups = groups;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/groups", ResidentOnly.wrap(pages, tenancy, this::list))
                .get("/groups/new", ResidentOnly.wrap(pages, tenancy, this::newForm))
                .post("/groups", ResidentOnly.wrap(pages, tenancy, this::create))
                .get("/groups/{id}", ResidentOnly.wrap(pages, tenancy, this::detail))
                .post("/groups/{id}", ResidentOnly.wrap(pages, tenancy, this::save))
                .post("/groups/{id}/evidence", ResidentOnly.wrap(pages, tenancy, this::upload))
                .get("/groups/{id}/evidence/{evidenceId}", ResidentOnly.wrap(pages, tenancy, this::download))
                .post("/groups/{id}/evidence/{evidenceId}/delete", ResidentOnly.wrap(pages, tenancy, this::removeFile))
                .post("/groups/{id}/submit", ResidentOnly.wrap(pages, tenancy, this::submit))
                .post("/groups/{id}/renew", ResidentOnly.wrap(pages, tenancy, this::renew));
    }

    private void list(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Page page = pages.page(req, res, town);
        pages.render(res, Status.OK_200, "groups.jte", page, Map.of("groups", groups.mine(town, account),
                "verification", verification(req, account), "categories", groups.categories(town),
                "limit", groups.settings().maxPerRepresentative()));
    }

    private void newForm(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        showNew(req, res, town, account, Map.of(), Map.of(), Status.OK_200);
    }

    private void create(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        try {
            long id = groups.create(town, account, details(form));
            pages.redirect(res, "/groups/" + id + "?done=created");
        } catch (Problem problem) {
            showNew(req, res, town, account, Map.of(problem.field().orElse("form"), Formats.message(req, problem)), form,
                    Status.create(problem.status()));
        }
    }

    private void detail(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        long id = PathIds.number(req, "id");
        int blank = Formats.query(req, "rows").keySet().isEmpty() ? BLANK_ROWS : 10;
        show(req, res, town, account, groups.file(town, account, id), Map.of(), Map.of(), blank, Status.OK_200);
    }

    private void save(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        long id = PathIds.number(req, "id");
        try {
            List<Member> roster = roster(form);
            groups.update(town, account, id, details(form));
            groups.replaceRoster(town, account, id, roster);
            pages.redirect(res, "/groups/" + id + ("add-rows".equals(form.get("action")) ? "?rows=more#roster" : "?done=saved"));
        } catch (Problem problem) {
            show(req, res, town, account, groups.file(town, account, id),
                    Map.of(problem.field().orElse("form"), Formats.message(req, problem)), form, BLANK_ROWS,
                    Status.create(problem.status()));
        }
    }

    private void upload(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        long id = PathIds.number(req, "id");
        EvidenceUpload upload;
        try {
            upload = EvidenceUpload.form(req, groups.settings().maxEvidenceBytes());
        } catch (Problem problem) {
            refused(req, res, town, account, id, problem); // nothing is written
            return;
        }
        pages.checkCsrf(req, upload.csrf());
        try {
            groups.addEvidence(town, account, id, upload.fileName(), upload.bytes());
            pages.redirect(res, "/groups/" + id + "?done=uploaded#evidence");
        } catch (Problem problem) {
            refused(req, res, town, account, id, problem);
        }
    }

    private void refused(ServerRequest req, ServerResponse res, Municipality town, Account account, long id,
                         Problem problem) {
        show(req, res, town, account, groups.file(town, account, id), Map.of("evidence", Formats.message(req, problem)),
                Map.of(), BLANK_ROWS, Status.create(problem.status()));
    }

    private void download(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        EvidenceUpload.send(res, groups.evidenceFile(town, account, PathIds.number(req, "id"),
                PathIds.uuid(req, "evidenceId")));
    }

    private void removeFile(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        act(req, res, town, account, "removed", id -> groups.removeEvidence(town, account, id,
                PathIds.uuid(req, "evidenceId")));
    }

    private void submit(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        act(req, res, town, account, "submitted", id -> groups.submit(town, account, id));
    }

    private void renew(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        act(req, res, town, account, "renewed", id -> groups.renew(town, account, id));
    }

    /** A button on the group's page. */
    @FunctionalInterface
    private interface Action {
        void apply(long id);
    }

    private void act(ServerRequest req, ServerResponse res, Municipality town, Account account, String done,
                     Action action) {
        pages.form(req);
        long id = PathIds.number(req, "id");
        try {
            action.apply(id);
            pages.redirect(res, "/groups/" + id + "?done=" + done);
        } catch (Problem problem) {
            show(req, res, town, account, groups.file(town, account, id),
                    Map.of(problem.field().orElse("form"), Formats.message(req, problem)), Map.of(), BLANK_ROWS,
                    Status.create(problem.status()));
        }
    }

    private void showNew(ServerRequest req, ServerResponse res, Municipality town, Account account,
                         Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = pages.page(req, res, town).withForm(errors, values);
        pages.render(res, status, "groupNew.jte", page, Map.of("categories", groups.categories(town),
                "verification", verification(req, account)));
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, Account account, GroupFile file,
                      Map<String, String> errors, Map<String, String> values, int blank, Status status) {
        Page page = pages.page(req, res, town).withForm(errors, values);
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        Map<String, Object> model = new HashMap<>();
        model.put("file", file);
        model.put("categories", groups.categories(town));
        model.put("rows", rows(file, values, blank));
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        model.put("renewable", file.group().renewableOn(today, groups.settings().renewalWindowDays()));
        model.put("verification", verification(req, account));
        model.put("maxMegabytes", groups.settings().maxEvidenceBytes() / (1024 * 1024));
        pages.render(res, status, "group.jte", page, model);
    }

    /** The roster's rows as shown: what was typed after a refusal, else the stored members, and some empty rows. */
    private static List<Row> rows(GroupFile file, Map<String, String> typed, int blank) {
        List<Row> rows = new ArrayList<>();
        if (typed.containsKey("rows")) {
            int n = count(typed.get("rows"));
            for (int i = 0; i < n; i++) {
                rows.add(new Row(i, typed.getOrDefault(field(i, "name"), ""),
                        typed.getOrDefault(field(i, "residency"), "resident"), typed.getOrDefault(field(i, "age"), "18-64")));
            }
            return rows;
        }
        for (Member m : file.members()) {
            rows.add(new Row(rows.size(), m.name(), m.residency().wire(), m.ageBand().wire()));
        }
        for (int i = 0; i < blank; i++) {
            rows.add(new Row(rows.size(), "", "resident", "18-64"));
        }
        return rows;
    }

    /** The roster as posted: rows with a name and not ticked for removal, in order. */
    private List<Member> roster(Map<String, String> form) {
        int n = count(form.getOrDefault("rows", "0"));
        if (n > groups.settings().maxMembers() + 20) {
            throw Problem.badField("members", "A roster has at most " + groups.settings().maxMembers() + " members.",
                    "名簿に登録できるのは " + groups.settings().maxMembers() + " 人までです。");
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = form.getOrDefault(field(i, "name"), "");
            if (name.isBlank() || form.containsKey(field(i, "remove"))) {
                continue;
            }
            members.add(new Member(name, Member.Residency.of(form.getOrDefault(field(i, "residency"), "")),
                    Member.AgeBand.of(form.getOrDefault(field(i, "age"), ""))));
        }
        return members;
    }

    private static Groups.Details details(Map<String, String> form) {
        return new Groups.Details(form.getOrDefault("name", ""), form.getOrDefault("nameKana", ""),
                form.getOrDefault("categoryCode", ""));
    }

    private static int count(String text) {
        try {
            return Math.max(0, Math.min(Integer.parseInt(text), 2000));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String field(int row, String part) {
        return "member-" + row + "-" + part;
    }

    /** @return empty when the resident may register; otherwise the message saying how to become able to */
    private static String verification(ServerRequest req, Account account) {
        try {
            Groups.requireVerifiedResident(account);
            return "";
        } catch (Problem problem) {
            return Formats.message(req, problem);
        }
    }

    /**
     * A roster row on the page.
     *
     * @param index     its number from 0
     * @param name      the name
     * @param residency resident or non-resident
     * @param ageBand   the band's wire name
     */
    public record Row(int index, String name, String residency, String ageBand) {
    }
}
