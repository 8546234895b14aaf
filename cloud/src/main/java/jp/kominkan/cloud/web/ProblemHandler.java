package jp.kominkan.cloud.web;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes every failure as RFC 9457 {@code application/problem+json}, in Japanese or English
 * following {@code Accept-Language} (Japanese when the client does not say).
 */
public final class ProblemHandler {

    private static final System.Logger LOG = System.getLogger(ProblemHandler.class.getName());

    private ProblemHandler() {
    }

    /**
     * @param pages error pages for browsers on page paths
     * @return the handler for {@link Problem}s
     */
    public static ErrorHandler<Problem> problems(HtmlErrors pages) {
        return (req, res, problem) -> write(req, res, problem, problem.status(), pages);
    }

    /**
     * Failures Helidon itself raises while reading a request (a bad header, say): their status,
     * with a problem body like ours.
     *
     * @param pages error pages for browsers on page paths
     * @return the handler for Helidon's HTTP exceptions
     */
    public static ErrorHandler<HttpException> http(HtmlErrors pages) {
        return (req, res, failure) -> {
            int status = failure.status().code();
            if (status >= 500) {
                LOG.log(Level.ERROR, "Server failure on " + req.path().absolute().path(), failure);
                write(req, res, Problem.internal(), 500, pages);
            } else {
                write(req, res, Problem.badRequest("bad-request", "The request could not be read: "
                        + failure.status().reasonPhrase() + ".", "リクエストを読み取れませんでした。"), status, pages);
            }
        };
    }

    /**
     * The handler of last resort: logs the failure (class and message only, which never hold a
     * request body) and answers 500 without a stack trace.
     *
     * @param pages error pages for browsers on page paths
     * @return the handler for anything else
     */
    public static ErrorHandler<RuntimeException> unexpected(HtmlErrors pages) {
        return (req, res, failure) -> {
            if (poolExhausted(failure)) {
                LOG.log(Level.WARNING, "No database connection free in time for " + req.path().absolute().path());
                res.header(HeaderNames.RETRY_AFTER, "1");
                write(req, res, Problem.unavailable(), 503, pages);
                return;
            }
            if (jp.kominkan.cloud.db.SqlFailure.of(failure) == jp.kominkan.cloud.db.SqlFailure.CONNECTION) {
                // The database is switching over (or down): never a 500; the balancer and the client try again.
                LOG.log(Level.WARNING, "Database unavailable during " + req.prologue().method().text() + " "
                        + req.path().absolute().path() + ": " + failure.getClass().getSimpleName());
                res.header(HeaderNames.RETRY_AFTER, "2");
                write(req, res, Problem.databaseUnavailable(), 503, pages);
                return;
            }
            LOG.log(Level.ERROR, "Unexpected failure on " + req.prologue().method().text() + " "
                    + req.path().absolute().path(), failure);
            write(req, res, Problem.internal(), 500, pages);
        };
    }

    /** HikariCP says it had no connection to give within its time-out. */
    private static boolean poolExhausted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static void write(ServerRequest req, ServerResponse res, Problem problem, int status, HtmlErrors pages) {
        problem.retryAfter().ifPresent(wait -> res.header(HeaderNames.RETRY_AFTER, Long.toString(wait.toSeconds())));
        CachePolicy.apply(req, res);
        if (pages.wants(req)) {
            try {
                pages.render(req, res, problem, status);
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Error page failed; answering with a problem document", e);
            }
        }
        boolean english = prefersEnglish(req);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:kominkan:problem:" + problem.code());
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", english ? problem.english() : problem.japanese());
        body.put("instance", req.path().absolute().path());
        problem.field().ifPresent(field -> body.put("field", field));
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderValues.create(HeaderNames.CONTENT_LANGUAGE, english ? "en" : "ja"));
        res.send(Json.bytes(body));
    }

    /** Japanese unless the first language the client names is not Japanese. */
    static boolean prefersEnglish(ServerRequest req) {
        return req.headers().first(HeaderNames.ACCEPT_LANGUAGE)
                .map(value -> value.trim().toLowerCase())
                .map(value -> !value.isEmpty() && !value.startsWith("ja") && !value.startsWith("*"))
                .orElse(false);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
