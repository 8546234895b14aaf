package jp.kominkan.cloud.fee;

import java.util.Objects;

/**
 * A fee or refund schedule document that cannot be used, with the place at fault: staff edit the
 * document as text, so the message names the field ({@code units[2].prices.土日祝}) and says in
 * Japanese and English what to write there. The path is empty when the whole document is at fault
 * (not JSON, too large). Unchecked, like {@link FeeException}.
 */
public final class FeeScheduleException extends RuntimeException {

    private final String path;
    private final String messageJa;
    private final String messageEn;

    /**
     * @param path      where, as {@code units[2].prices.土日祝}; empty for the whole document
     * @param messageJa what is wrong there, in Japanese
     * @param messageEn what is wrong there, in English
     */
    public FeeScheduleException(String path, String messageJa, String messageEn) {
        super((path.isEmpty() ? "" : path + ": ") + messageEn, null, false, false);
        this.path = Objects.requireNonNull(path);
        this.messageJa = Objects.requireNonNull(messageJa);
        this.messageEn = Objects.requireNonNull(messageEn);
    }

    /** @return where in the document, as {@code units[2].prices.土日祝}; empty for the whole document */
    public String path() {
        return path;
    }

    /** @return the message in Japanese, without the path */
    public String messageJa() {
        return messageJa;
    }

    /** @return the message in English, without the path */
    public String messageEn() {
        return messageEn;
    }
}
