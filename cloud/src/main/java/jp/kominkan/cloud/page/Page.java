package jp.kominkan.cloud.page;

import java.util.Map;
import java.util.Optional;

/**
 * What every page template is given: the language, the CSRF token for its forms, who is logged in,
 * the town's name, the page's own path (for the language switch), and field errors with the values
 * typed, so a form shows each error next to its field and keeps what was entered.
 *
 * @param lang         the language
 * @param csrf         the token every form posts back
 * @param residentName the logged-in resident's name, if any
 * @param townName     the municipality's name
 * @param path         this page's path and query
 * @param errors       field name → message
 * @param values       field name → what was typed
 */
public record Page(Lang lang, String csrf, Optional<String> residentName, String townName, String path,
                   Map<String, String> errors, Map<String, String> values) {

    /**
     * @param japanese the Japanese text
     * @param english  the English text
     * @return the one for this page's language
     */
    public String t(String japanese, String english) {
        return lang == Lang.EN ? english : japanese;
    }

    /** @return whether someone is logged in */
    public boolean loggedIn() {
        return residentName.isPresent();
    }

    /**
     * @param field a form field
     * @return the error about it, if any
     */
    public Optional<String> error(String field) {
        return Optional.ofNullable(errors.get(field));
    }

    /**
     * @param field    a form field
     * @param fallback the value to show when nothing was typed
     * @return what was typed, or the fallback
     */
    public String value(String field, String fallback) {
        return values.getOrDefault(field, fallback);
    }

    /**
     * @param errors field errors
     * @param values typed values
     * @return this page with a form's errors and values
     */
    public Page withForm(Map<String, String> errors, Map<String, String> values) {
        return new Page(lang, csrf, residentName, townName, path, Map.copyOf(errors), Map.copyOf(values));
    }

    /** @return this page's path, URL-encoded, for a login form to come back to */
    public String pathEncoded() {
        return java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** @return the path of the other language's switch */
    public String otherLangPath() {
        return "/lang/" + (lang == Lang.EN ? "ja" : "en") + "?back=" + java.net.URLEncoder.encode(path,
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
