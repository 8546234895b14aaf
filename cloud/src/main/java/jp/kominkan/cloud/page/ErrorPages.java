package jp.kominkan.cloud.page;

import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.HtmlErrors;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Friendly error pages in Japanese (or English) for browsers on the resident pages; the API keeps
 * its problem documents.
 */
public final class ErrorPages implements HtmlErrors {

    private final PageSupport pages;
    private final Tenancy tenancy;

    /**
     * @param pages   templates
     * @param tenancy finds the municipality
     */
    public ErrorPages(PageSupport pages, Tenancy tenancy) {
        this.pages = pages;
        this.tenancy = tenancy;
    }

    @Override
    public boolean wants(ServerRequest req) {
        String path = req.path().rawPath();
        return !path.startsWith("/api/") && !path.startsWith("/openapi") && !path.startsWith("/observe")
                && req.headers().first(HeaderNames.ACCEPT).map(a -> a.contains("text/html")).orElse(false);
    }

    @Override
    public void render(ServerRequest req, ServerResponse res, Problem problem, int status) {
        Municipality town;
        try {
            town = tenancy.of(req);
        } catch (RuntimeException unknownHostOrNoDatabase) {
            town = new Municipality(0, "000000", "", "", "", java.time.ZoneId.of("Asia/Tokyo"));
        }
        // No resident lookup for server failures: the database may be what is failing.
        Page page = pages.page(req, res, town, status < 500 && town.id() != 0);
        String title = switch (status) {
            case 404 -> page.t("ページが見つかりません", "Page not found");
            case 401 -> page.t("ログインが必要です", "Please log in");
            case 403 -> page.t("この操作はできません", "Not allowed");
            case 409 -> page.t("お手続きを完了できませんでした", "This could not be done");
            case 400, 413, 415, 422, 502 -> page.t("お手続きを完了できませんでした", "This could not be done");
            case 503 -> page.t("ただいま混み合っているか、つながりません", "Temporarily unavailable");
            default -> page.t("システムエラーが発生しました", "Something went wrong");
        };
        String message = status == 404 && (problem.code().equals("not-found") || problem.code().equals("bad-request"))
                ? page.t("お探しのページは見つかりませんでした。URL をご確認いただくか、トップページからおさがしください。",
                "We could not find that page. Check the address, or start from the top page.")
                : page.t(problem.japanese(), problem.english());
        pages.render(res, Status.create(status), "error.jte", page,
                Map.of("status", status, "title", title, "message", message));
    }
}
