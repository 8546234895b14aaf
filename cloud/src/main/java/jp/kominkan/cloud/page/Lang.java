package jp.kominkan.cloud.page;

/**
 * The page language: Japanese first, English second. Templates say both, {@code page.t("予約", "Book")},
 * so a text and its translation sit side by side where they are used.
 */
public enum Lang {
    /** 日本語 (default). */
    JA("ja"),
    /** English. */
    EN("en");

    private final String code;

    Lang(String code) {
        this.code = code;
    }

    /** @return the BCP 47 code for {@code <html lang>} */
    public String code() {
        return code;
    }

    /**
     * @param code a cookie value
     * @return the language, Japanese unless the code is {@code en}
     */
    public static Lang of(String code) {
        return "en".equals(code) ? EN : JA;
    }
}
