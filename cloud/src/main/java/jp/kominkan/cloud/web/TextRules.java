package jp.kominkan.cloud.web;

/**
 * What free text from a person may hold: no control characters (NUL, line feeds in a one-line field),
 * no format characters (right-to-left overrides and other invisible marks that make a note or a name
 * read differently from what it says), no line or paragraph separators, nothing unassigned or private.
 */
public final class TextRules {

    private TextRules() {
    }

    /**
     * @param text some text
     * @return whether it holds only printable characters (spaces allowed)
     */
    public static boolean isPlainText(String text) {
        return text.codePoints().noneMatch(TextRules::unusable);
    }

    /**
     * @param c a code point
     * @return whether it may not appear in a person's text: a control, format (bidi override), line or paragraph
     *         separator, unassigned, private-use or lone surrogate character
     */
    public static boolean unusable(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }
}
