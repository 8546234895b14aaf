package jp.kominkan.cloud.backoffice;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffService;
import jp.kominkan.cloud.web.LocalPaths;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * What every staff page needs: the logged-in member of staff (a staff session cookie, separate from a
 * resident's), the permission check before anything is read, rendering with the staff layout, and
 * the refusal of a form shown next to its field.
 */
public final class StaffSite {

    private final PageSupport pages;
    private final StaffService staff;
    private final Tenancy tenancy;
    private final boolean secureCookie;

    /**
     * @param pages        templates, CSRF, language
     * @param staff        staff sessions
     * @param tenancy      finds the municipality
     * @param secureCookie whether cookies are marked Secure
     */
    public StaffSite(PageSupport pages, StaffService staff, Tenancy tenancy, boolean secureCookie) {
        this.pages = pages;
        this.staff = staff;
        this.tenancy = tenancy;
        this.secureCookie = secureCookie;
    }

    /** A staff page's handler, run with the member once the permission is checked. */
    @FunctionalInterface
    public interface StaffHandler {
        /**
         * @param req    the request
         * @param res    the response
         * @param town   the municipality
         * @param member who
         */
        void handle(ServerRequest req, ServerResponse res, Municipality town, StaffMember member);
    }

    /**
     * @param permission what the page needs
     * @param handler    the page
     * @return a handler that sends anyone without a staff session to the login page and refuses a role
     *         without the permission, before the page reads anything
     */
    public Handler guard(Permission permission, StaffHandler handler) {
        return (req, res) -> {
            Municipality town = tenancy.of(req);
            Optional<StaffMember> member = member(req, town);
            if (member.isEmpty()) {
                pages.redirect(res, "/staff/login?next=" + URLEncoder.encode(PageSupport.here(req), StandardCharsets.UTF_8));
                return;
            }
            if (!member.get().may(permission)) {
                throw StaffAuthenticator.forbidden();
            }
            handler.handle(req, res, town, member.get());
        };
    }

    /**
     * @param req  the request
     * @param town the municipality
     * @return the logged-in member of staff
     */
    public Optional<StaffMember> member(ServerRequest req, Municipality town) {
        return StaffAuthenticator.token(req, secureCookie).flatMap(token -> staff.authenticate(town, token));
    }

    /**
     * @param req  the request
     * @param res  the response
     * @param town the municipality
     * @return the page context
     */
    public Page page(ServerRequest req, ServerResponse res, Municipality town) {
        return pages.page(req, res, town, false);
    }

    /**
     * Renders a staff page.
     *
     * @param res      the response
     * @param status   the status
     * @param template e.g. {@code staff/reservations.jte}
     * @param page     the page context
     * @param member   who is logged in
     * @param params   the template's other parameters
     */
    public void render(ServerResponse res, Status status, String template, Page page, StaffMember member,
                       Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("me", member);
        pages.render(res, status, template, page, all);
    }

    /**
     * @param req the request
     * @return the posted form, CSRF-checked
     */
    public Map<String, String> form(ServerRequest req) {
        return pages.form(req);
    }

    /**
     * @param req  the request
     * @param sent the token an upload sent
     */
    public void checkCsrf(ServerRequest req, String sent) {
        pages.checkCsrf(req, sent);
    }

    /**
     * @param res      the response
     * @param location a local path
     */
    public void redirect(ServerResponse res, String location) {
        pages.redirect(res, location);
    }

    /**
     * @param req     the request
     * @param problem a refusal
     * @return its field (or {@code form}) and its message in the page's language
     */
    public static Map<String, String> error(ServerRequest req, Problem problem) {
        return error(req, problem, "form");
    }

    /**
     * @param req       the request
     * @param problem   a refusal
     * @param fieldless the field to show a refusal that names none next to (the form's main field)
     * @return its field and its message in the page's language
     */
    public static Map<String, String> error(ServerRequest req, Problem problem, String fieldless) {
        return Map.of(problem.field().orElse(fieldless), Formats.message(req, problem));
    }

    // ---- login ------------------------------------------------------------------------------------

    void loginForm(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        pages.render(res, Status.OK_200, "staff/login.jte", page(req, res, town), Map.of("next", next(req)));
    }

    void login(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> form = pages.form(req);
        try {
            StaffService.Session session = staff.login(town, form.getOrDefault("email", ""),
                    form.getOrDefault("password", ""), pages.source(req));
            res.headers().addCookie(StaffAuthenticator.sessionCookie(session, secureCookie));
            pages.rotateCsrf(res);
            pages.redirect(res, next(req).isEmpty() ? "/staff" : next(req));
        } catch (Problem problem) {
            PageSupport.retryAfter(res, problem);
            Page page = page(req, res, town).withForm(Map.of("form", Formats.message(req, problem)),
                    Map.of("email", form.getOrDefault("email", "")));
            pages.render(res, Status.create(problem.status()), "staff/login.jte", page, Map.of("next", next(req)));
        }
    }

    void logout(ServerRequest req, ServerResponse res) {
        pages.form(req);
        StaffAuthenticator.token(req, secureCookie).ifPresent(staff::logout);
        res.headers().addCookie(jp.kominkan.cloud.web.Cookies.expired(StaffAuthenticator.COOKIE, secureCookie));
        pages.rotateCsrf(res);
        pages.redirect(res, "/staff/login");
    }

    private static String next(ServerRequest req) {
        return req.query().first("next").asOptional().filter(LocalPaths::isLocal).filter(p -> p.startsWith("/staff"))
                .orElse("");
    }
}
