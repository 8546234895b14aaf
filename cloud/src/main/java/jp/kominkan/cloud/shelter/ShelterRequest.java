package jp.kominkan.cloud.shelter;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.TextRules;

/**
 * What an administrator asks for when issuing a shelter code (避難所コード), read once from the API or the staff
 * page's form alike and checked here: who holds it and for how long. Whether the window is still to come is
 * checked against the clock when it is issued ({@link #requireOpenAfter}).
 *
 * @param facilityId the facility whose doors it opens
 * @param holder     who holds it, 1–100 characters, NFC, trimmed, no control, format (bidi) or unassigned characters
 * @param validFrom  first instant it opens, whole seconds
 * @param validUntil instant from which it no longer opens, whole seconds; after {@code validFrom}, at most
 *                   {@link #LONGEST} later
 */
public record ShelterRequest(long facilityId, String holder, Instant validFrom, Instant validUntil) {

    /** Most characters of a holder (UTF-16 units, as both databases' {@code varchar(100)} count them at most). */
    public static final int HOLDER_MAX = 100;
    /** Longest window: a year and a bit, so a yearly reissue can overlap the old code. */
    public static final Duration LONGEST = Duration.ofDays(400);

    /** Normalises the holder, cuts the times to whole seconds, and checks every rule but the clock's. */
    public ShelterRequest {
        holder = holder(holder);
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        validFrom = validFrom.truncatedTo(ChronoUnit.SECONDS);
        validUntil = validUntil.truncatedTo(ChronoUnit.SECONDS);
        if (!validUntil.isAfter(validFrom)) {
            throw Problem.badField("validUntil", "validUntil must be after validFrom.",
                    "有効期限の終わりは、始まりより後にしてください。");
        }
        if (Duration.between(validFrom, validUntil).compareTo(LONGEST) > 0) {
            throw Problem.badField("validUntil", "A shelter code is valid for at most " + LONGEST.toDays() + " days.",
                    "避難所コードの有効期間は最長 " + LONGEST.toDays() + " 日です。");
        }
    }

    /**
     * @param now now
     * @throws Problem 400 when the window is already over: a code that could never open would be issued for nothing
     */
    void requireOpenAfter(Instant now) {
        if (!validUntil.isAfter(now)) {
            throw Problem.badField("validUntil", "validUntil is in the past.",
                    "有効期限の終わりが過ぎています。これから先の日時にしてください。");
        }
        if (validFrom.isAfter(now.plus(LONGEST))) {
            throw Problem.badField("validFrom", "A shelter code starts at most " + LONGEST.toDays() + " days from now.",
                    "避難所コードの有効期間の始まりは、今日から " + LONGEST.toDays() + " 日以内にしてください。");
        }
    }

    private static String holder(String text) {
        String clean = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFC).strip();
        if (clean.isEmpty()) {
            throw Problem.badField("holder", "Enter who holds the code (a disaster-response group, a fire brigade unit).",
                    "交付先（自主防災組織・消防団の分団など）を入力してください。");
        }
        if (clean.length() > HOLDER_MAX) {
            throw Problem.badField("holder", "The holder is at most " + HOLDER_MAX + " characters.",
                    "交付先は " + HOLDER_MAX + " 文字以内で入力してください。");
        }
        // A bidi override or a NUL would make the name show other than it reads, on pages, alarms and the log.
        if (!TextRules.isPlainText(clean)) {
            throw Problem.badField("holder", "The holder contains characters that cannot be used (control characters).",
                    "交付先に使えない文字（制御文字）が含まれています。");
        }
        return clean;
    }
}
