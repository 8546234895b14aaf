package jp.kominkan.cloud.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.crypto.Tokens;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.ClientAddress;
import jp.kominkan.cloud.web.Cookies;
import jp.kominkan.cloud.web.Problem;

/**
 * What every page handler needs: JTE templates compiled at build time, the language cookie, CSRF
 * protection for every form (a token bound to the browser's CSRF cookie and session, see {@link CsrfTokens}),
 * the logged-in resident, where a request comes from, and safe response headers.
 */
public final class PageSupport {

    /** The CSRF cookie's base name ({@code __Host-kominkan_csrf} behind TLS). */
    public static final String CSRF_COOKIE = "kominkan_csrf";
    /** The language cookie's name. */
    public static final String LANG_COOKIE = "kominkan_lang";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final AccountService accounts;
    private final boolean secureCookie;
    private final CsrfTokens csrf;
    private final ClientAddress clients;
    private final byte[] css;
    private final byte[] invitationScript;
    private final byte[] staffScript;
    private final byte[] passScript;

    /**
     * @param accounts     finds the logged-in resident
     * @param secureCookie whether cookies are marked Secure (behind TLS), which also names them {@code __Host-}
     * @param csrfKey      the deployment's key for CSRF tokens
     * @param clients      finds where a request comes from
     */
    public PageSupport(AccountService accounts, boolean secureCookie, byte[] csrfKey, ClientAddress clients) {
        this.accounts = accounts;
        this.secureCookie = secureCookie;
        this.csrf = new CsrfTokens(csrfKey, secureCookie);
        this.clients = clients;
        this.css = resource("/static/site.css");
        this.invitationScript = resource("/static/invitation.js");
        this.staffScript = resource("/static/staff.js");
        this.passScript = resource("/static/pass.js");
    }

    /**
     * @param req          the request
     * @param res          the response (a CSRF cookie is set when the browser has none)
     * @param municipality the municipality
     * @return the page context
     */
    public Page page(ServerRequest req, ServerResponse res, Municipality municipality) {
        return page(req, res, municipality, true);
    }

    /**
     * @param req            the request
     * @param res            the response
     * @param municipality   the municipality
     * @param lookUpResident whether to find the logged-in resident (not for error pages of a failing database)
     * @return the page context
     */
    public Page page(ServerRequest req, ServerResponse res, Municipality municipality, boolean lookUpResident) {
        Lang lang = lang(req);
        Optional<String> fresh = Optional.empty();
        if (csrf.csrfCookie(req).isEmpty()) {
            fresh = Optional.of(Tokens.random());
            res.headers().addCookie(csrfCookie(fresh.get()));
        }
        return new Page(lang, csrf.token(req, fresh), lookUpResident ? resident(req, municipality).map(Account::name) : Optional.empty(),
                municipality.name(), here(req), Map.of(), Map.of());
    }

    /**
     * Where this request's page lives for a browser: its path and query, or for a form's POST the page
     * that shows the form (a booking's confirm step goes back to the booking form).
     *
     * @param req the request
     * @return a local path
     */
    public static String here(ServerRequest req) {
        if ("POST".equals(req.prologue().method().text())) {
            String path = req.path().rawPath();
            return path.endsWith("/confirm") ? path.substring(0, path.length() - "/confirm".length()) : path;
        }
        String query = req.query().rawValue();
        return req.path().rawPath() + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * @param req the request
     * @return the language its browser chose
     */
    public static Lang lang(ServerRequest req) {
        return Lang.of(req.headers().cookies().first(LANG_COOKIE).orElse("ja"));
    }

    /**
     * @param req          the request
     * @param municipality the municipality
     * @return the logged-in resident
     */
    public Optional<Account> resident(ServerRequest req, Municipality municipality) {
        return Authenticator.token(req, secureCookie).flatMap(token -> accounts.authenticate(municipality, token));
    }

    /**
     * @param req a request
     * @return where it comes from (for the login throttle)
     */
    public String source(ServerRequest req) {
        return clients.of(req);
    }

    /**
     * Copies a refusal's wait into {@code Retry-After}, for a page that shows the refusal itself.
     *
     * @param res     the response
     * @param problem the refusal
     */
    public static void retryAfter(ServerResponse res, Problem problem) {
        problem.retryAfter().ifPresent(wait -> res.header(HeaderNames.RETRY_AFTER, Long.toString(wait.toSeconds())));
    }

    /**
     * Reads a posted form and checks its CSRF token against the browser's cookie.
     *
     * @param req the request
     * @return the form's fields
     * @throws Problem 403 when the token is missing or does not match
     */
    public Map<String, String> form(ServerRequest req) {
        boolean urlEncoded = req.headers().contentType()
                .map(type -> type.mediaType().text().equalsIgnoreCase("application/x-www-form-urlencoded"))
                .orElse(false);
        if (!urlEncoded) {
            throw Problem.badRequest("form-expected", "Send the form from the page.",
                    "ページのフォームから送信してください。");
        }
        Map<String, String> form = new LinkedHashMap<>();
        try {
            // An empty body has no entity at all (Helidon throws IllegalStateException from as()): an empty form.
            Parameters params = req.content().hasEntity() ? req.content().as(Parameters.class) : Parameters.empty("form");
            for (String name : params.names()) {
                form.put(name, params.first(name).orElse(""));
            }
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("form-unreadable", "The form could not be read. Reload the page and send it again.",
                    "フォームを読み取れませんでした。ページを再読み込みして、もう一度送信してください。");
        }
        checkCsrf(req, form.getOrDefault("_csrf", ""));
        form.remove("_csrf");
        return form;
    }

    /**
     * Checks a form's CSRF token against the browser's cookies (for forms read otherwise, e.g. uploads).
     *
     * @param req  the request
     * @param sent the token the form sent
     * @throws Problem 403 when it is missing or does not match
     */
    public void checkCsrf(ServerRequest req, String sent) {
        if (!csrf.matches(req, sent)) {
            throw Problem.forbidden("This form has expired. Go back, reload the page and send it again.",
                    "フォームの有効期限が切れました。前のページに戻り、再読み込みしてからもう一度送信してください。");
        }
    }

    /**
     * Gives the browser a new CSRF token: on login, logout and registration, so a shared computer's
     * next user does not inherit the last one's.
     *
     * @param res the response
     */
    public void rotateCsrf(ServerResponse res) {
        res.headers().addCookie(csrfCookie(Tokens.random()));
    }

    private SetCookie csrfCookie(String value) {
        return Cookies.builder(CSRF_COOKIE, value, secureCookie).sameSite(SetCookie.SameSite.LAX).build();
    }

    /**
     * Renders a template as the response.
     *
     * @param res      the response
     * @param status   the status
     * @param template e.g. {@code facility.jte}
     * @param page     the page context
     * @param params   the template's other parameters
     */
    public void render(ServerResponse res, Status status, String template, Page page, Map<String, Object> params) {
        render(res, status, template, page, params, Optional.empty());
    }

    /**
     * Renders a page whose form may be sent on to another site: CSP {@code form-action} also names that origin,
     * since browsers check it against where the form's answer redirects (the payment provider's card page).
     *
     * @param res        the response
     * @param status     the status
     * @param template   the template
     * @param page       the page context
     * @param params     its other parameters
     * @param formTarget the other origin, e.g. https://checkout.example
     */
    public void render(ServerResponse res, Status status, String template, Page page, Map<String, Object> params,
                       Optional<String> formTarget) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("page", page);
        StringOutput out = new StringOutput();
        templates.render(template, all, out);
        headers(res);
        formTarget.filter(origin -> origin.matches("https?://[A-Za-z0-9.\\[\\]:-]+"))
                .ifPresent(origin -> res.header(HeaderNames.create("Content-Security-Policy"),
                        CSP.replace("form-action 'self'", "form-action 'self' " + origin)));
        res.header(HeaderNames.CONTENT_LANGUAGE, page.lang().code());
        res.status(status).send(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renders a template to text, without a response (for the benchmark).
     *
     * @param template the template
     * @param page     the page context
     * @param params   its other parameters
     * @return the HTML
     */
    public String renderToString(String template, Page page, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("page", page);
        StringOutput out = new StringOutput();
        templates.render(template, all, out);
        return out.toString();
    }

    /**
     * @param res      the response
     * @param location a local path
     */
    public void redirect(ServerResponse res, String location) {
        res.header(HeaderNames.LOCATION, location);
        res.status(Status.SEE_OTHER_303).send();
    }

    private static byte[] resource(String name) {
        try (InputStream in = PageSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param res the response for the invitation page's script */
    public void invitationScript(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(invitationScript);
    }

    /** @param res the response for the staff pages' script */
    public void staffScript(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(staffScript);
    }

    /** @param res the response for the booking page's script that renews its door passes */
    public void passScript(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(passScript);
    }

    /** @param res the response for the style sheet */
    public void css(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/css; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(css);
    }

    /**
     * Serves one of the demo's pictures (SVG files shipped in the jar; nothing else is served).
     *
     * @param res  the response
     * @param file the file name
     */
    public void demoImage(ServerResponse res, String file) {
        if (!file.matches("[a-z0-9-]{1,60}\\.svg")) {
            throw Problem.notFound("image", "画像");
        }
        try (InputStream in = PageSupport.class.getResourceAsStream("/static/demo/" + file)) {
            if (in == null) {
                throw Problem.notFound("image", "画像");
            }
            res.header(HeaderNames.CONTENT_TYPE, "image/svg+xml");
            res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
            res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
            res.send(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sets the language cookie.
     *
     * @param res  the response
     * @param lang the language
     */
    public void setLang(ServerResponse res, Lang lang) {
        res.headers().addCookie(SetCookie.builder(LANG_COOKIE, lang.code()).path("/").httpOnly(true)
                .secure(secureCookie).sameSite(SetCookie.SameSite.LAX).maxAge(java.time.Duration.ofDays(365)).build());
    }

    /** @return whether cookies are marked Secure */
    public boolean secureCookie() {
        return secureCookie;
    }

    private static void headers(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "same-origin");
    }
}
