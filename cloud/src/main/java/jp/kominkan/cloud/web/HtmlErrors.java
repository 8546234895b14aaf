package jp.kominkan.cloud.web;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Renders a problem as an HTML page for a browser, where the request is for a page. */
public interface HtmlErrors {

    /** No pages: every problem is a problem document. */
    HtmlErrors NONE = new HtmlErrors() {
        @Override
        public boolean wants(ServerRequest req) {
            return false;
        }

        @Override
        public void render(ServerRequest req, ServerResponse res, Problem problem, int status) {
            throw new IllegalStateException("no error pages");
        }
    };

    /**
     * @param req the request
     * @return whether it is a browser asking for a page
     */
    boolean wants(ServerRequest req);

    /**
     * @param req     the request
     * @param res     the response
     * @param problem what went wrong
     * @param status  the status to answer with
     */
    void render(ServerRequest req, ServerResponse res, Problem problem, int status);
}
