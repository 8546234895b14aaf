package jp.kominkan.cloud.staff;

import java.util.HashMap;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /staff/invitation}: where the invitation e-mail's link lands. The token comes in the URL
 * fragment and a small script puts it into the form; the person chooses a name and a password.
 */
public final class StaffPages implements HttpService {

    private final PageSupport pages;
    private final StaffService staff;
    private final Tenancy tenancy;

    /**
     * @param pages   templates and CSRF
     * @param staff   the staff service
     * @param tenancy finds the municipality
     */
    public StaffPages(PageSupport pages, StaffService staff, Tenancy tenancy) {
        this.pages = pages;
        this.staff = staff;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/invitation", this::form)
                .post("/staff/invitation", this::accept)
                .get("/static/invitation.js", (req, res) -> pages.invitationScript(res));
    }

    private void form(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        pages.render(res, Status.OK_200, "invitation.jte", pages.page(req, res, town), Map.of("done", false));
    }

    private void accept(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> form = pages.form(req);
        try {
            staff.accept(town, form.getOrDefault("token", ""), form.getOrDefault("name", ""),
                    form.getOrDefault("password", ""));
            pages.render(res, Status.CREATED_201, "invitation.jte", pages.page(req, res, town), Map.of("done", true));
        } catch (Problem problem) {
            Page page = pages.page(req, res, town);
            Map<String, String> typed = new HashMap<>(form);
            typed.remove("password");
            String field = problem.field().orElse("form");
            pages.render(res, Status.create(problem.status()), "invitation.jte",
                    page.withForm(Map.of(field, page.t(problem.japanese(), problem.english())), typed),
                    Map.of("done", false));
        }
    }
}
