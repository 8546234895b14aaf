package jp.kominkan.cloud.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.web.LocalPaths;

/** What every page shares: the style sheet, the demo's pictures, and the language switch. */
public final class StaticPages implements HttpService {

    private final PageSupport pages;
    /** The door code's copy button (issue 16). */
    private final byte[] codeScript = script("/static/code.js");
    /** The range picker, the week grid's keys, and focus on a form's error summary (issue 16). */
    private final byte[] rangePicker = script("/static/range-picker.js");
    private final byte[] weekGrid = script("/static/week-grid.js");
    private final byte[] forms = script("/static/forms.js");

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
                .get("/static/code.js", (req, res) -> send(res, codeScript))
                .get("/static/range-picker.js", (req, res) -> send(res, rangePicker))
                .get("/static/week-grid.js", (req, res) -> send(res, weekGrid))
                .get("/static/forms.js", (req, res) -> send(res, forms))
                .get("/static/demo/{file}", (req, res) -> pages.demoImage(res, req.path().pathParameters().get("file")))
                .get("/lang/{code}", this::lang);
    }

    private static void send(ServerResponse res, byte[] script) {
        res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(script);
    }

    private static byte[] script(String name) {
        try (InputStream in = StaticPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void lang(ServerRequest req, ServerResponse res) {
        pages.setLang(res, Lang.of(req.path().pathParameters().get("code")));
        pages.redirect(res, req.query().first("back").asOptional().filter(LocalPaths::isLocal).orElse("/"));
    }
}
