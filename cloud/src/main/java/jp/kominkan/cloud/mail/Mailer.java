package jp.kominkan.cloud.mail;

/**
 * Sends e-mail. {@link SmtpMailer} speaks SMTP; {@link #unconfigured()} refuses, for an installation
 * without a mail server.
 */
public interface Mailer {

    /**
     * @param mail the message
     * @throws MailFailure when it could not be handed to the mail server
     */
    void send(Mail mail);

    /** @return a mailer that refuses every message, saying mail is not set up */
    static Mailer unconfigured() {
        return mail -> {
            throw new MailFailure("No mail server is configured (kominkan.mail.host)", null);
        };
    }

    /**
     * A plain-text message.
     *
     * @param to      recipient
     * @param subject subject
     * @param body    text
     */
    record Mail(String to, String subject, String body) {
    }

    /** The message was not handed over. */
    final class MailFailure extends RuntimeException {
        /**
         * @param message what went wrong (no addresses, no content)
         * @param cause   the cause
         */
        public MailFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
