package jp.kominkan.cloud.web;

/**
 * What free text from a person may hold: no control characters (NUL, line feeds in a one-line field)
 * and no format characters (right-to-left overrides and other invisible marks that make a note or a
 * name read differently from what it says).
 */
public final class TextRules {

    private TextRules() {
    }

    /**
     * @param text some text
     * @return whether it holds only printable characters (spaces allowed)
     */
    public static boolean isPlainText(String text) {
        return text.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE || Character.getType(c) == Character.UNASSIGNED);
    }
}
