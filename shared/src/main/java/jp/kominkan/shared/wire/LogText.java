package jp.kominkan.shared.wire;

/**
 * Text from the wire made safe for one log line: a forged door id or message must not be able to
 * write a line of its own, hide behind terminal escapes, or fill the disk.
 */
public final class LogText {

    /** Longest text kept; the rest is replaced by an ellipsis. */
    public static final int MAX = 80;

    private LogText() {
    }

    /**
     * @param text untrusted text, possibly null
     * @return at most {@value #MAX} printable characters; control and format characters as {@code ?}
     */
    public static String safe(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX + 1));
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (count == MAX) {
                out.append('…');
                break;
            }
            int type = Character.getType(cp);
            boolean unsafe = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED;
            out.appendCodePoint(unsafe ? '?' : cp);
            count++;
        }
        return out.toString();
    }
}
