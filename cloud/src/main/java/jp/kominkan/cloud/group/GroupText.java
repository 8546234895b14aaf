package jp.kominkan.cloud.group;

import java.text.Normalizer;

import jp.kominkan.cloud.web.Problem;

/**
 * The rule for text a representative types about a group: NFC-normalised, trimmed, within a length,
 * and without control or format characters (a name with a bidi override or a NUL would show other
 * than it reads, in staff pages, mails and CSV exports alike).
 */
final class GroupText {

    private GroupText() {
    }

    /**
     * @param text    what was typed
     * @param max     most characters (code points)
     * @param field   the field, for the problem
     * @param english the field's English name
     * @param japanese the field's Japanese name
     * @return the text, normalised
     * @throws Problem 400 about {@code field} when empty, too long or holding control characters
     */
    static String required(String text, int max, String field, String english, String japanese) {
        String clean = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFC).strip();
        if (clean.isEmpty()) {
            throw Problem.badField(field, "Enter the " + english + ".", japanese + "を入力してください。");
        }
        if (clean.codePointCount(0, clean.length()) > max) {
            throw Problem.badField(field, "The " + english + " is at most " + max + " characters.",
                    japanese + "は " + max + " 文字以内で入力してください。");
        }
        if (clean.codePoints().anyMatch(GroupText::control)) {
            throw Problem.badField(field, "The " + english + " contains characters that cannot be used (control characters).",
                    japanese + "に使えない文字（制御文字）が含まれています。");
        }
        return clean;
    }

    private static boolean control(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }
}
