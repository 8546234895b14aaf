package jp.kominkan.cloud.page;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.web.LocalPaths;

/** What every page shares: the style sheet, the demo's pictures, and the language switch. */
public final class StaticPages implements HttpService {

    private final PageSupport pages;

    /**
     * @param pages templates, CSRF, language
     */
    public StaticPages(PageSupport pages) {
        this.pages = pages;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/static/site.css", (req, res) -> pages.css(res))
                .get("/static/staff.js", (req, res) -> pages.staffScript(res))
                .get("/static/pass.js", (req, res) -> pages.passScript(res))
                .get("/static/demo/{file}", (req, res) -> pages.demoImage(res, req.path().pathParameters().get("file")))
                .get("/lang/{code}", this::lang);
    }

    private void lang(ServerRequest req, ServerResponse res) {
        pages.setLang(res, Lang.of(req.path().pathParameters().get("code")));
        pages.redirect(res, req.query().first("back").asOptional().filter(LocalPaths::isLocal).orElse("/"));
    }
}
