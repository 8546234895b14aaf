package jp.kominkan.cloud.resident;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountHttpService;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.account.Profile;
import jp.kominkan.cloud.account.ProfileChange;
import jp.kominkan.cloud.account.VerificationStatus;
import jp.kominkan.cloud.identity.IdentityService;
import jp.kominkan.cloud.identity.IdentityStore;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.LocalPaths;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;

/**
 * The resident's account: my page with identity verification and contact details, log in, log out
 * and register.
 */
public final class AccountPages implements HttpService {

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final AccountService accounts;
    private final IdentityService identity;

    /**
     * @param pages    templates, CSRF, language
     * @param tenancy  finds the municipality
     * @param accounts accounts and sessions
     * @param identity the enabled identity providers
     */
    public AccountPages(PageSupport pages, Tenancy tenancy, AccountService accounts, IdentityService identity) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.accounts = accounts;
        this.identity = identity;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/mypage", ResidentOnly.wrap(pages, tenancy, this::mypage))
                .post("/mypage", ResidentOnly.wrap(pages, tenancy, this::saveContact))
                .get("/login", this::loginForm)
                .post("/login", this::login)
                .post("/logout", this::logout)
                .get("/register", this::registerForm)
                .post("/register", this::register);
    }

    private void mypage(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        showMypage(req, res, town, accounts.profile(account), Map.of(), Formats.query(req, "saved"), Status.OK_200);
    }

    private void saveContact(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        try {
            accounts.update(account, new ProfileChange(form.getOrDefault("email", ""),
                    form.getOrDefault("phone", ""), form.getOrDefault("organisation", ""), null, null, null));
            pages.redirect(res, "/mypage?saved=1");
        } catch (Problem problem) {
            showMypage(req, res, town, accounts.profile(account),
                    Map.of(problem.field().orElse("email"), Formats.message(req, problem)), form,
                    Status.BAD_REQUEST_400);
        }
    }

    private void showMypage(ServerRequest req, ServerResponse res, Municipality town, Profile profile,
                            Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = pages.page(req, res, town).withForm(errors, values);
        VerificationStatus verification = accounts.verificationStatus(profile);
        String residency = switch (profile.account().residency()) {
            case RESIDENT -> page.t("市内", "Resident");
            case NON_RESIDENT -> page.t("市外", "Non-resident");
            case UNKNOWN -> page.t("未確認（市外料金）", "Unconfirmed (non-resident fee)");
        };
        List<String> changes = identity.changes(profile.account()).stream().map(c -> inWords(c, town, page)).toList();
        pages.render(res, status, "mypage.jte", page, Map.of("profile", profile, "status", verification.wire(),
                "verifiedAt", profile.link().map(l -> Formats.format(l.verifiedAt(), town.zone(), page)).orElse(""),
                "residency", residency, "canVerify", xidEnabled(town), "changes", changes,
                "others", otherProviders(town)));
    }

    /** @return e.g. 「2026年12月2日（水） 15:08　住所が更新されました（市内 → 市外）」 */
    private static String inWords(IdentityStore.Change change, Municipality town, Page page) {
        String facts = change.facts().stream().map(fact -> switch (fact) {
            case "name" -> page.t("氏名", "name");
            case "address" -> page.t("住所", "address");
            default -> page.t("生年月日", "birth date");
        }).collect(java.util.stream.Collectors.joining(page.t("・", ", ")));
        String residency = change.before() == change.after() ? ""
                : page.t("（" + word(page, change.before()) + " → " + word(page, change.after()) + "）",
                " (" + word(page, change.before()) + " → " + word(page, change.after()) + ")");
        return Formats.format(change.at(), town.zone(), page) + page.t("　", ": ") + facts
                + page.t("が更新されました", " updated") + residency;
    }

    private static String word(Page page, Account.Residency residency) {
        return switch (residency) {
            case RESIDENT -> page.t("市内", "resident");
            case NON_RESIDENT -> page.t("市外", "non-resident");
            case UNKNOWN -> page.t("未確認", "unconfirmed");
        };
    }

    // ---- login and registration ----------------------------------------------------------------

    private void loginForm(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        pages.render(res, Status.OK_200, "login.jte", pages.page(req, res, town), Map.of("xid", xidEnabled(town),
                "others", otherProviders(town),
                "next", next(req).orElse("")));
    }

    private void login(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> form = pages.form(req);
        try {
            AccountService.Session session = accounts.login(town, form.getOrDefault("email", ""),
                    form.getOrDefault("password", ""), pages.source(req));
            AccountHttpService.setSessionCookie(res, session, pages.secureCookie());
            pages.rotateCsrf(res);
            pages.redirect(res, next(req).orElse("/mypage"));
        } catch (Problem problem) {
            PageSupport.retryAfter(res, problem);
            Page page = pages.page(req, res, town).withForm(Map.of("form", Formats.message(req, problem)),
                    Map.of("email", form.getOrDefault("email", "")));
            pages.render(res, Status.create(problem.status()), "login.jte", page, Map.of("xid", xidEnabled(town),
                    "others", otherProviders(town),
                    "next", next(req).orElse("")));
        }
    }

    private void logout(ServerRequest req, ServerResponse res) {
        pages.form(req);
        Authenticator.token(req, pages.secureCookie()).ifPresent(accounts::logout);
        res.headers().addCookie(jp.kominkan.cloud.web.Cookies.expired(Authenticator.COOKIE, pages.secureCookie()));
        pages.rotateCsrf(res);
        pages.redirect(res, "/");
    }

    private void registerForm(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        pages.render(res, Status.OK_200, "register.jte", pages.page(req, res, town), Map.of("xid", xidEnabled(town),
                "others", otherProviders(town)));
    }

    private void register(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Map<String, String> form = pages.form(req);
        try {
            Account account = accounts.register(town, form.getOrDefault("email", ""), form.getOrDefault("password", ""),
                    form.getOrDefault("name", ""));
            AccountService.Session session = accounts.startSession(account);
            AccountHttpService.setSessionCookie(res, session, pages.secureCookie());
            pages.rotateCsrf(res);
            pages.redirect(res, "/mypage");
        } catch (Problem problem) {
            Map<String, String> typed = new HashMap<>(form);
            typed.remove("password");
            Page page = pages.page(req, res, town).withForm(
                    Map.of(problem.field().orElse("email"), Formats.message(req, problem)), typed);
            pages.render(res, Status.BAD_REQUEST_400, "register.jte", page, Map.of("xid", xidEnabled(town),
                    "others", otherProviders(town)));
        }
    }

    private static Optional<String> next(ServerRequest req) {
        return req.query().first("next").asOptional().filter(LocalPaths::isLocal);
    }

    private boolean xidEnabled(Municipality town) {
        return identity.providers(town).stream().anyMatch(p -> p.id().equals("xid"));
    }

    /** The enabled providers other than xID (デジタル認証アプリ, …), each offered in a card of its own after xID's. */
    private java.util.List<jp.kominkan.cloud.identity.IdentityProvider> otherProviders(Municipality town) {
        return identity.providers(town).stream().filter(p -> !p.id().equals("xid")).toList();
    }

}
