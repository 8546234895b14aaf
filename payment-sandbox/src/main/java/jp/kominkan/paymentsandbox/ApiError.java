package jp.kominkan.paymentsandbox;

import java.util.Map;

/**
 * An error answered in Stripe's envelope: {@code {"error":{"type","code","decline_code","param","message",...}}}.
 * stripe-java picks the exception class from the HTTP status and {@code type} (400/404 → InvalidRequestException,
 * 401 → AuthenticationException, 402 → CardException, anything else → ApiException).
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String code;
    final String declineCode;
    final String param;
    /** Stripe saves no idempotent result when the parameters failed validation, so a corrected retry may reuse the key. */
    final boolean validation;
    /** Extra members of the error object (a declined intent's {@code payment_intent}). */
    Map<String, Object> extra;

    private ApiError(int status, String type, String code, String declineCode, String param, String message,
            boolean validation) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.declineCode = declineCode;
        this.param = param;
        this.validation = validation;
    }

    /** A 400 for a parameter that is missing or wrong; no idempotent result is kept for it. */
    static ApiError param(String code, String param, String message) {
        return new ApiError(400, "invalid_request_error", code, null, param, message, true);
    }

    /** A 400 about the object's state (e.g. cancelling a succeeded intent); kept for an idempotent replay. */
    static ApiError state(String code, String message) {
        return new ApiError(400, "invalid_request_error", code, null, null, message, false);
    }

    static ApiError missing(String param, String kind, String id) {
        return new ApiError(404, "invalid_request_error", "resource_missing", null, param,
                "No such " + kind + ": '" + id + "'", false);
    }

    static ApiError notFound(String method, String path) {
        return new ApiError(404, "invalid_request_error", null, null, null,
                "Unrecognized request URL (" + method + ": " + path + "). The payment sandbox implements only the "
                        + "part of Stripe's API listed in docs/payment-sandbox.md.", true);
    }

    static ApiError card(String code, String declineCode, String message) {
        return new ApiError(402, "card_error", code, declineCode, null, message, false);
    }

    static ApiError auth(String message) {
        return new ApiError(401, "invalid_request_error", null, null, null, message, true);
    }

    static ApiError idempotency(String message) {
        return new ApiError(400, "idempotency_error", null, null, null, message, true);
    }

    static ApiError of(int status, String type, String code, String message) {
        return new ApiError(status, type, code, null, null, message, true);
    }

    String body() {
        Map<String, Object> error = Json.object();
        if (code != null) {
            error.put("code", code);
        }
        if (declineCode != null) {
            error.put("decline_code", declineCode);
        }
        if (code != null) {
            error.put("doc_url", "https://docs.stripe.com/error-codes/" + code.replace('_', '-'));
        }
        error.put("message", getMessage());
        if (param != null) {
            error.put("param", param);
        }
        if (extra != null) {
            error.putAll(extra);
        }
        error.put("type", type);
        return Json.write(Map.of("error", error));
    }
}
