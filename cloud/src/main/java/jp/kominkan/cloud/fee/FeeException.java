package jp.kominkan.cloud.fee;

import java.util.Objects;

/**
 * A request the fee schedule cannot price (a closed day, a time outside every band with no
 * overrun rule, a reduction that the purpose excludes). Unchecked, with a stable code and a
 * message in Japanese and English, so that the HTTP edge maps it once to a problem detail.
 */
public final class FeeException extends RuntimeException {

    private final String code;
    private final String messageJa;
    private final String messageEn;

    /**
     * @param code      stable machine code, kebab-case
     * @param messageJa what is wrong, in Japanese
     * @param messageEn what is wrong, in English
     */
    public FeeException(String code, String messageJa, String messageEn) {
        super(code + ": " + messageEn, null, false, false);
        this.code = Objects.requireNonNull(code);
        this.messageJa = Objects.requireNonNull(messageJa);
        this.messageEn = Objects.requireNonNull(messageEn);
    }

    /** @return the stable machine code */
    public String code() {
        return code;
    }

    /** @return the message in Japanese */
    public String messageJa() {
        return messageJa;
    }

    /** @return the message in English */
    public String messageEn() {
        return messageEn;
    }
}
