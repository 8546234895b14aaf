package jp.kominkan.sandbox;

import java.util.List;
import java.util.Map;

/**
 * The Agency sandbox's pages: the consent page, where a demo person is chosen in place of reading a My Number Card
 * with the app, and an error page. Plain HTML, no script, labels on every control, Japanese.
 */
final class AgencyConsentPage {

    /** The authorization request's parameters the form carries back. */
    private static final List<String> CARRIED = List.of("response_type", "client_id", "redirect_uri", "scope",
            "state", "nonce", "code_challenge", "code_challenge_method", "acr_values");
    private static final Map<String, String> LABELS = Map.of("name", "氏名", "address", "住所", "birthdate", "生年月日",
            "gender", "性別");

    private AgencyConsentPage() {
    }

    static String consent(Map<String, String> request, List<AgencyPerson> people) {
        List<String> scopes = List.of(request.getOrDefault("scope", "").split(" "));
        StringBuilder page = new StringBuilder(head("情報提供への同意 — デジタル認証アプリ（サンドボックス）"));
        page.append("<main>\n<h1>情報提供への同意</h1>\n")
                .append("<p class=\"warn\">これはデモ用のサンドボックスです。実在の方の情報は扱いません。</p>\n")
                .append("<p>「").append(escape(request.get("client_id")))
                .append("」に、次の情報を提供します。本来はマイナンバーカードを読み取り、利用者証明用暗証番号を入力します。</p>\n")
                .append("<ul>\n");
        for (String scope : scopes) {
            if (LABELS.containsKey(scope)) {
                page.append("<li>").append(LABELS.get(scope)).append("</li>\n");
            }
        }
        page.append("</ul>\n<form method=\"post\">\n<fieldset>\n<legend>デモの利用者を選んでください</legend>\n");
        boolean first = true;
        for (AgencyPerson person : people) {
            String id = "person-" + escape(person.id());
            page.append("<div><input type=\"radio\" name=\"person\" id=\"").append(id).append("\" value=\"")
                    .append(escape(person.id())).append('"').append(first ? " checked" : "").append(">\n<label for=\"")
                    .append(id).append("\">").append(escape(person.name())).append("（")
                    .append(escape(person.address())).append("、生年月日 ").append(escape(person.birthdate()))
                    .append("、性別 ").append(person.gender().equals("1") ? "男性" : "女性").append("）</label></div>\n");
            first = false;
        }
        page.append("</fieldset>\n");
        for (String name : CARRIED) {
            page.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                    .append(escape(request.getOrDefault(name, ""))).append("\">\n");
        }
        page.append("<p><button type=\"submit\" name=\"decision\" value=\"consent\">同意して情報を提供する</button>\n")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\">同意しない</button></p>\n")
                .append("</form>\n</main>\n</body>\n</html>\n");
        return page.toString();
    }

    static String error(String message) {
        return head("エラー — デジタル認証アプリ（サンドボックス）") + "<main>\n<h1>エラー</h1>\n<p>" + escape(message)
                + "</p>\n<p>連携元のサービスに戻り、もう一度お試しください。</p>\n</main>\n</body>\n</html>\n";
    }

    private static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n<style>body{font-family:sans-serif;margin:2rem auto;padding:0 1rem;max-width:40rem;color:#1a1a1a;"
                + "background:#fff;line-height:1.7}.warn{background:#fff4e5;border-left:4px solid #8a4b00;padding:.5rem}"
                + "button{font-size:1rem;padding:.5rem 1rem;margin-right:1rem}fieldset{margin:1rem 0}"
                + "label{margin-left:.25rem}</style>\n</head>\n<body>\n";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
