package jp.kominkan.paymentsandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * The pages that stand in for Stripe's own: {@code /pay/{pi}} for Stripe.js's card form (so card data never
 * reaches the cloud) and {@code /voucher/{pi}} for the konbini voucher ({@code hosted_voucher_url}). Japanese
 * first, plain HTML, no script; every value is escaped.
 */
final class HostedPages {

    private static final DateTimeFormatter DEADLINE =
            DateTimeFormatter.ofPattern("uuuu年M月d日(E) HH:mm", Locale.JAPANESE);

    private final Payments payments;
    private final String apiVersion;

    HostedPages(Payments payments, String apiVersion) {
        this.payments = payments;
        this.apiVersion = apiVersion;
    }

    void handle(HttpExchange ex, String path) throws IOException {
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        String[] parts = path.split("/");
        if (parts.length != 3) {
            page(ex, 404, "見つかりません / Not found", "<p>このページはありません。</p>");
            return;
        }
        String id = parts[2];
        Payments.Intent pi = payments.intentForPage(id);
        try {
            if (parts[1].equals("voucher") && ex.getRequestMethod().equals("GET")) {
                voucher(ex, pi);
            } else if (parts[1].equals("pay") && ex.getRequestMethod().equals("GET")) {
                Form query = Form.parse(ex.getRequestURI().getRawQuery());
                payForm(ex, pi, query.str("client_secret"), query.str("return_url"), null, 200);
            } else if (parts[1].equals("pay") && ex.getRequestMethod().equals("POST")) {
                pay(ex, pi, Form.parse(Http.body(ex)));
            } else {
                page(ex, 405, "使えない操作です / Method not allowed", "<p>この操作はできません。</p>");
            }
        } catch (ApiError e) {
            page(ex, e.status == 413 ? 413 : 400, "リクエストが正しくありません / Bad request",
                    "<p>" + Http.esc(e.getMessage()) + "</p>");
        }
    }

    private void payForm(HttpExchange ex, Payments.Intent pi, String secret, String returnUrl, String error, int status)
            throws IOException {
        if (pi == null || !secretMatches(pi, secret)) {
            page(ex, 404, "見つかりません / Not found", "<p>お支払いが見つかりません。URL をご確認ください。</p>");
            return;
        }
        String target = returnUrl != null ? returnUrl : pi.returnUrl;
        if (target != null && !httpUrl(target)) {
            page(ex, 400, "戻り先が正しくありません / Invalid return_url", "<p>return_url は http または https の URL にしてください。</p>");
            return;
        }
        String status0 = statusOf(pi);
        if (!pi.status.equals("requires_payment_method") && !pi.status.equals("requires_confirmation")) {
            String back = target == null ? "" : "<p><a href=\"" + Http.esc(redirect(target, pi, pi.status.equals("succeeded"))) + "\">元のページに戻る / Back</a></p>";
            page(ex, 200, "お支払い / Payment", "<p>このお支払いは" + Http.esc(status0) + "です。</p>" + back);
            return;
        }
        if (!pi.paymentMethodTypes.contains("card")) {
            page(ex, 400, "カードでは払えません / Not a card payment", "<p>このお支払いはカードを使えません。</p>");
            return;
        }
        StringBuilder cards = new StringBuilder();
        for (TestCards.Card c : TestCards.BY_NUMBER.values()) {
            cards.append("<li><code>").append(Http.esc(spaced(c.number()))).append("</code> ")
                    .append(Http.esc(c.brand())).append(": ").append(Http.esc(c.labelJa())).append("</li>");
        }
        String err = error == null ? "" : "<p role=\"alert\" class=\"error\" id=\"card-error\">" + Http.esc(error) + "</p>";
        String describedBy = error == null ? "card-hint" : "card-hint card-error";
        String body = "<p class=\"sandbox\">これはテスト用の決済画面です(本物のカードは使えません)。<br>"
                + "<span lang=\"en\">Payment sandbox: test cards only.</span></p>"
                + "<dl><dt>金額 / Amount</dt><dd>" + Http.esc(yen(pi.amount)) + "</dd>"
                + (pi.description == null ? "" : "<dt>内容 / For</dt><dd>" + Http.esc(pi.description) + "</dd>") + "</dl>"
                + err
                + "<form method=\"post\" action=\"/pay/" + Http.esc(pi.id) + "\">"
                + "<input type=\"hidden\" name=\"client_secret\" value=\"" + Http.esc(secret) + "\">"
                + (target == null ? "" : "<input type=\"hidden\" name=\"return_url\" value=\"" + Http.esc(target) + "\">")
                + "<p><label for=\"card_number\">カード番号 <span lang=\"en\">(card number)</span></label><br>"
                + "<input id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"cc-number\" required "
                + "aria-describedby=\"" + describedBy + "\"" + (error == null ? "" : " aria-invalid=\"true\"") + " size=\"24\"></p>"
                + "<p><label for=\"exp\">有効期限 (MM/YY)</label><br>"
                + "<input id=\"exp\" name=\"exp\" inputmode=\"numeric\" autocomplete=\"cc-exp\" placeholder=\"12/34\" required size=\"6\"></p>"
                + "<p><label for=\"cvc\">セキュリティコード <span lang=\"en\">(CVC)</span></label><br>"
                + "<input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" required size=\"5\"></p>"
                + "<p><button type=\"submit\">" + Http.esc(yen(pi.amount)) + " を支払う / Pay</button></p>"
                + "</form>"
                + "<section aria-labelledby=\"cards\"><h2 id=\"cards\">テスト用カード番号 / Test cards</h2>"
                + "<p id=\"card-hint\">有効期限は未来の日付、セキュリティコードは 3 桁の数字なら何でも構いません。</p>"
                + "<ul>" + cards + "</ul></section>";
        page(ex, status, "お支払い / Payment", body);
    }

    private void pay(HttpExchange ex, Payments.Intent pi, Form form) throws IOException {
        String secret = form.str("client_secret");
        String returnUrl = form.str("return_url");
        if (pi == null || !secretMatches(pi, secret)) {
            page(ex, 404, "見つかりません / Not found", "<p>お支払いが見つかりません。</p>");
            return;
        }
        String target = returnUrl != null ? returnUrl : pi.returnUrl;
        if (target == null || !httpUrl(target)) {
            page(ex, 400, "戻り先が正しくありません / Invalid return_url", "<p>return_url は http または https の URL にしてください。</p>");
            return;
        }
        if (pi.status.equals("succeeded")) {
            seeOther(ex, redirect(target, pi, true));
            return;
        }
        String number = form.str("card_number") == null ? "" : form.str("card_number").replaceAll("[\\s-]", "");
        String exp = form.str("exp") == null ? "" : form.str("exp").replaceAll("\\s", "");
        String cvc = form.str("cvc") == null ? "" : form.str("cvc").trim();
        String problem = null;
        if (!number.matches("[0-9]{12,19}") || !TestCards.luhn(number)) {
            problem = "カード番号が正しくありません。 / Your card number is incorrect.";
        } else if (!TestCards.BY_NUMBER.containsKey(number)) {
            problem = "テスト用のカード番号を使ってください(下の一覧)。 / Use a test card number (listed below).";
        } else if (!exp.matches("(0[1-9]|1[0-2])/?[0-9]{2}")) {
            problem = "有効期限を MM/YY で入力してください。 / Enter the expiry as MM/YY.";
        } else if (!expiryInFuture(exp)) {
            problem = "有効期限が過ぎています。 / Your card's expiration date is in the past.";
        } else if (!cvc.matches("[0-9]{3,4}")) {
            problem = "セキュリティコードが正しくありません。 / Your card's security code is invalid.";
        }
        if (problem != null) {
            payForm(ex, pi, secret, target, problem, 400);
            return;
        }
        boolean ok = payments.confirmWithCard(pi.id, TestCards.BY_NUMBER.get(number),
                new Payments.Request(null, null, pi.apiVersion != null ? pi.apiVersion : apiVersion));
        seeOther(ex, redirect(target, pi, ok));
    }

    private static boolean expiryInFuture(String exp) {
        String digits = exp.replace("/", "");
        int month = Integer.parseInt(digits.substring(0, 2));
        int year = 2000 + Integer.parseInt(digits.substring(2));
        java.time.YearMonth now = java.time.YearMonth.now(Payments.JST);
        return !java.time.YearMonth.of(year, month).isBefore(now);
    }

    private void voucher(HttpExchange ex, Payments.Intent pi) throws IOException {
        if (pi == null || pi.konbiniStores == null) {
            page(ex, 404, "見つかりません / Not found", "<p>払込票が見つかりません。</p>");
            return;
        }
        String state = switch (pi.status) {
            case "succeeded" -> "<p role=\"status\"><strong>お支払い済みです。</strong> / Paid.</p>";
            case "canceled" -> "<p role=\"status\"><strong>支払期限が過ぎたか、取り消されたため、この払込票は使えません。</strong> / "
                    + "This voucher has expired or was canceled.</p>";
            default -> "";
        };
        StringBuilder rows = new StringBuilder();
        Map<String, String> names = Map.of("familymart", "ファミリーマート", "lawson", "ローソン", "ministop", "ミニストップ",
                "seicomart", "セイコーマート");
        pi.konbiniStores.forEach((store, codes) -> rows.append("<tr><th scope=\"row\">").append(Http.esc(names.get(store)))
                .append("</th><td><code>").append(Http.esc(codes.get("payment_code"))).append("</code></td><td><code>")
                .append(Http.esc(codes.get("confirmation_number"))).append("</code></td></tr>"));
        String deadline = DEADLINE.format(Instant.ofEpochSecond(pi.konbiniExpiresAt).atZone(Payments.JST));
        String body = "<p class=\"sandbox\">テスト用の払込票です。実際のコンビニでは支払えません。</p>" + state
                + "<dl><dt>金額 / Amount</dt><dd>" + Http.esc(yen(pi.amount)) + "</dd>"
                + (pi.konbiniProductDescription == null ? "" : "<dt>内容</dt><dd>" + Http.esc(pi.konbiniProductDescription) + "</dd>")
                + "<dt>支払期限 / Pay by</dt><dd><time datetime=\""
                + Http.esc(Instant.ofEpochSecond(pi.konbiniExpiresAt).toString()) + "\">" + Http.esc(deadline) + " まで</time></dd></dl>"
                + "<table><caption>店舗ごとの番号 / Codes per store</caption><thead><tr><th scope=\"col\">店舗</th>"
                + "<th scope=\"col\">お支払い番号 / Payment code</th><th scope=\"col\">確認番号 / Confirmation no.</th></tr></thead>"
                + "<tbody>" + rows + "</tbody></table>";
        page(ex, 200, "コンビニ払込票 / Konbini voucher", body);
    }

    // ---------------------------------------------------------------- helpers

    private static boolean secretMatches(Payments.Intent pi, String secret) {
        return secret != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                pi.clientSecret.getBytes(StandardCharsets.UTF_8));
    }

    static boolean httpUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return uri.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The return_url with Stripe's three parameters added (before any fragment). */
    static String redirect(String returnUrl, Payments.Intent pi, boolean succeeded) {
        String fragment = "";
        int hash = returnUrl.indexOf('#');
        String base = returnUrl;
        if (hash >= 0) {
            fragment = returnUrl.substring(hash);
            base = returnUrl.substring(0, hash);
        }
        String sep = base.contains("?") ? "&" : "?";
        return base + sep + "payment_intent=" + enc(pi.id) + "&payment_intent_client_secret=" + enc(pi.clientSecret)
                + "&redirect_status=" + (succeeded ? "succeeded" : "failed") + fragment;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void seeOther(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        Http.send(ex, 303, "text/plain; charset=utf-8", "");
    }

    private static String statusOf(Payments.Intent pi) {
        return switch (pi.status) {
            case "succeeded" -> "お支払い済み";
            case "canceled" -> "取り消し済み";
            case "requires_action" -> "お客様の操作待ち";
            default -> pi.status;
        };
    }

    private static String yen(long amount) {
        return String.format("¥%,d", amount);
    }

    private static String spaced(String number) {
        return number.replaceAll("(.{4})(?!$)", "$1 ");
    }

    private static void page(HttpExchange ex, int status, String title, String body) throws IOException {
        String html = "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Http.esc(title) + " — 決済サンドボックス</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}"
                + ".sandbox{background:#fff4ce;border:1px solid #8a6d00;padding:.5rem}.error{color:#a40000;font-weight:bold}"
                + "input{font-size:1.1rem;padding:.3rem}button{font-size:1.1rem;padding:.4rem 1.2rem}"
                + "table{border-collapse:collapse}th,td{border:1px solid #666;padding:.3rem .6rem;text-align:left}"
                + ":focus{outline:3px solid #0050b3;outline-offset:2px}</style></head>"
                + "<body><main><h1>" + Http.esc(title) + "</h1>" + body + "</main></body></html>";
        Http.send(ex, status, "text/html; charset=utf-8", html);
    }
}
