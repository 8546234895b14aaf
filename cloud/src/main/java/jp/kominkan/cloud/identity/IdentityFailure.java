package jp.kominkan.cloud.identity;

import java.util.Objects;

import jp.kominkan.cloud.web.Problem;

/**
 * Why a login or verification through an identity provider did not complete. The reason is a short
 * code for the log and the audit trail; the messages tell the person what to do. Nothing here ever
 * holds a token, a code or personal data.
 */
public final class IdentityFailure extends RuntimeException {

    private final Kind kind;
    private final String reason;
    private final String english;
    private final String japanese;

    /**
     * @param kind     what sort of failure
     * @param reason   a short code for the log and the audit trail
     * @param english  what happened and what to do, in English
     * @param japanese the same in Japanese
     */
    public IdentityFailure(Kind kind, String reason, String english, String japanese) {
        super(reason, null, false, false);
        this.kind = Objects.requireNonNull(kind);
        this.reason = Objects.requireNonNull(reason);
        this.english = Objects.requireNonNull(english);
        this.japanese = Objects.requireNonNull(japanese);
    }

    /**
     * A callback that does not belong to a login this browser started, or whose tokens do not check out.
     *
     * @param reason the code for the log
     * @return the failure
     */
    public static IdentityFailure rejected(String reason) {
        return new IdentityFailure(Kind.REJECTED, reason,
                "The sign-in could not be completed. Please start again from the beginning.",
                "本人確認を完了できませんでした。お手数ですが、最初からやり直してください。");
    }

    /**
     * The provider's answer lacks or garbles a fact we need.
     *
     * @param claim   the claim's name
     * @param english what is wrong, in English
     * @param japanese the same in Japanese
     * @return the failure
     */
    public static IdentityFailure claims(String claim, String english, String japanese) {
        return new IdentityFailure(Kind.CLAIMS, "claims:" + claim,
                english + " (" + claim + ") Please check your details in the app and try again.",
                japanese + "（" + claim + "）アプリに登録されている情報をご確認のうえ、もう一度お試しください。");
    }

    /**
     * The provider could not be reached, or answered too slowly.
     *
     * @param reason the code for the log
     * @return the failure
     */
    public static IdentityFailure providerDown(String reason) {
        return new IdentityFailure(Kind.PROVIDER_DOWN, reason,
                "The identity service cannot be reached right now. Please try again in a few minutes.",
                "ただいま本人確認サービスに接続できません。しばらくしてからもう一度お試しください。");
    }

    /** @return what sort of failure */
    public Kind kind() {
        return kind;
    }

    /** @return the short code for the log and the audit trail */
    public String reason() {
        return reason;
    }

    /** @return the failure as an API problem */
    public Problem toProblem() {
        return switch (kind) {
            case REJECTED -> Problem.badRequest("identity-rejected", english, japanese);
            case CLAIMS -> Problem.badGateway("identity-claims", english, japanese);
            case PROVIDER_DOWN -> Problem.dependencyDown("identity-provider-down", english, japanese);
            case DENIED -> Problem.badRequest("identity-cancelled", english, japanese);
            case DUPLICATE_PERSON -> Problem.conflict("identity-in-use", english, japanese);
            case UNDER_REVIEW -> Problem.conflict("identity-under-review", english, japanese);
            case NOT_REGISTERED -> Problem.notFoundWith("identity-not-registered", english, japanese);
        };
    }

    /** What sort of failure. */
    public enum Kind {
        /** Forged, replayed, stale or tampered: nothing is done. */
        REJECTED,
        /** The provider's data lacks or garbles a fact. */
        CLAIMS,
        /** The provider is down or slow. */
        PROVIDER_DOWN,
        /** The person cancelled at the provider. */
        DENIED,
        /** The person is already linked to another account in this municipality. */
        DUPLICATE_PERSON,
        /** Another verified account here, at another provider, looks like the same person: staff decide first. */
        UNDER_REVIEW,
        /** A login with a person who has no account here. */
        NOT_REGISTERED
    }
}
