package jp.kominkan.cloud.resident;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.web.Tenancy;

/**
 * A page for logged-in residents: the handler runs with the resident; anyone else is sent to the
 * login page, which comes back here. For a form, this is decided before the form is read.
 */
final class ResidentOnly {

    private ResidentOnly() {
    }

    /** A handler for a page that needs a logged-in resident. */
    @FunctionalInterface
    interface ResidentHandler {
        void handle(ServerRequest req, ServerResponse res, Municipality town, Account account);
    }

    static Handler wrap(PageSupport pages, Tenancy tenancy, ResidentHandler handler) {
        return (req, res) -> {
            Municipality town = tenancy.of(req);
            Optional<Account> account = pages.resident(req, town);
            if (account.isPresent()) {
                handler.handle(req, res, town, account.get());
            } else {
                pages.redirect(res, "/login?next=" + URLEncoder.encode(PageSupport.here(req), StandardCharsets.UTF_8));
            }
        };
    }
}
