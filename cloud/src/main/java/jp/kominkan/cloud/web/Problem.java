package jp.kominkan.cloud.web;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure a person can act on, carried to the edge and written as RFC 9457 problem details.
 *
 * <p>Domain code throws it with a stable {@code code} (the problem type's last segment), the HTTP
 * status, and the message in English and Japanese; {@link ProblemHandler} picks the language.
 */
public final class Problem extends RuntimeException {

    private final int status;
    private final String code;
    private final String english;
    private final String japanese;
    private final String field;
    private final Duration retryAfter;

    private Problem(int status, String code, String english, String japanese, String field) {
        this(status, code, english, japanese, field, null);
    }

    private Problem(int status, String code, String english, String japanese, String field, Duration retryAfter) {
        super(code + ": " + english, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code);
        this.english = Objects.requireNonNull(english);
        this.japanese = Objects.requireNonNull(japanese);
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** 429: too many at once from this caller; the message says what to close or wait for. */
    public static Problem tooMany(String english, String japanese) {
        return new Problem(429, "too-many", english, japanese, null);
    }

    /** 429 with a {@code Retry-After} (RFC 9110 §10.2.3): wait this long, then try again. */
    public static Problem tooMany(String english, String japanese, Duration retryAfter) {
        return new Problem(429, "too-many", english, japanese, null, Objects.requireNonNull(retryAfter));
    }

    /** 400: the request breaks a rule; the message names the rule. */
    public static Problem badRequest(String code, String english, String japanese) {
        return new Problem(400, code, english, japanese, null);
    }

    /** 400 about one field of the body or query. */
    public static Problem badField(String field, String english, String japanese) {
        return new Problem(400, "invalid-field", english, japanese, field);
    }

    /** 401: no valid login. */
    public static Problem unauthorized(String english, String japanese) {
        return new Problem(401, "unauthorized", english, japanese, null);
    }

    /** 403: logged in, but not allowed. */
    public static Problem forbidden(String english, String japanese) {
        return new Problem(403, "forbidden", english, japanese, null);
    }

    /** 404: no such thing here — also for another municipality's things, so they are not revealed. */
    public static Problem notFound(String what, String whatJapanese) {
        return new Problem(404, "not-found", "No " + what + " with this id exists here.",
                whatJapanese + "が見つかりません。", null);
    }

    /** 404 with its own code and message: the thing asked for is not there, and what to do. */
    public static Problem notFoundWith(String code, String english, String japanese) {
        return new Problem(404, code, english, japanese, null);
    }

    /** 409: the request conflicts with the current state. */
    public static Problem conflict(String code, String english, String japanese) {
        return new Problem(409, code, english, japanese, null);
    }

    /** 410: the thing existed and is no longer usable (a used or expired one-time token). */
    public static Problem gone(String code, String english, String japanese) {
        return new Problem(410, code, english, japanese, null);
    }

    /** 413: the body is too large. */
    public static Problem tooLarge(long limit) {
        return new Problem(413, "payload-too-large",
                "The request body is larger than " + limit / 1024 + " KiB.",
                "リクエストが大きすぎます（上限 " + limit / 1024 + " KiB）。", null);
    }

    /** 415: not JSON. */
    public static Problem unsupportedMediaType() {
        return new Problem(415, "unsupported-media-type", "Send the body as application/json.",
                "本文は application/json で送信してください。", null);
    }

    /** 422: the same idempotency key came with a different request. */
    public static Problem unprocessable(String code, String english, String japanese) {
        return new Problem(422, code, english, japanese, null);
    }

    /** 502: a peer (an identity provider) answered with something we cannot use. */
    public static Problem badGateway(String code, String english, String japanese) {
        return new Problem(502, code, english, japanese, null);
    }

    /** 503: a service we depend on is down or slow. */
    public static Problem dependencyDown(String code, String english, String japanese) {
        return new Problem(503, code, english, japanese, null);
    }

    /** 503: too busy right now (no database connection free in time); worth retrying. */
    public static Problem unavailable() {
        return new Problem(503, "busy", "The service is busy right now. Please try again in a moment.",
                "ただいま混み合っています。少し時間をおいてもう一度お試しください。", null);
    }

    /**
     * 503: the database is switching to another server (or down). A change sent with an {@code Idempotency-Key} may
     * have been made: sending it again with the same key answers with it rather than making it twice.
     */
    public static Problem databaseUnavailable() {
        return new Problem(503, "database-unavailable",
                "The service cannot reach its database for a moment. Please try again shortly; a booking sent again"
                        + " with the same Idempotency-Key is never made twice.",
                "一時的にデータベースに接続できません。少し時間をおいてもう一度お試しください。"
                        + "同じ内容を送り直しても二重に予約されることはありません。", null);
    }

    /** 500: our fault; says nothing of the cause. */
    public static Problem internal() {
        return new Problem(500, "internal-error",
                "Something went wrong on our side. Please try again later.",
                "システムでエラーが発生しました。しばらくしてからもう一度お試しください。", null);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the stable problem code */
    public String code() {
        return code;
    }

    /** @return the message in English */
    public String english() {
        return english;
    }

    /** @return the message in Japanese */
    public String japanese() {
        return japanese;
    }

    /** @return how long to wait before trying again, where the refusal says */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** @return the offending field, where there is one */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
