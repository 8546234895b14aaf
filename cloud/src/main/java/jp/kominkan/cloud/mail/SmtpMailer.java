package jp.kominkan.cloud.mail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

import io.helidon.config.Config;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Sends mail through an SMTP server with Jakarta Mail (Eclipse Angus): {@code kominkan.mail.host},
 * {@code port}, {@code from}, optional {@code username}/{@code password} and {@code starttls}.
 */
public final class SmtpMailer implements Mailer {

    private final Session session;
    private final InternetAddress from;
    private final String username;
    private final String password;

    private SmtpMailer(Session session, InternetAddress from, String username, String password) {
        this.session = session;
        this.from = from;
        this.username = username;
        this.password = password;
    }

    /**
     * @param mail the {@code kominkan.mail} node
     * @return an SMTP mailer, or {@link Mailer#unconfigured()} when no host is set
     */
    public static Mailer fromConfig(Config mail) {
        if (mail.get("host").asString().asOptional().isEmpty()) {
            return Mailer.unconfigured();
        }
        String host = mail.get("host").asString().get();
        int port = mail.get("port").asInt().orElse(25);
        Duration timeout = mail.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(10));
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        props.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        props.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        boolean starttls = mail.get("starttls").asBoolean().orElse(false);
        props.put("mail.smtp.starttls.enable", Boolean.toString(starttls));
        props.put("mail.smtp.starttls.required", Boolean.toString(starttls));
        String username = mail.get("username").asString().orElse(null);
        props.put("mail.smtp.auth", Boolean.toString(username != null));
        try {
            InternetAddress from = new InternetAddress(mail.get("from").asString().orElse("no-reply@kominkan.example"),
                    mail.get("from-name").asString().orElse("公共施設予約"), StandardCharsets.UTF_8.name());
            return new SmtpMailer(Session.getInstance(props), from, username,
                    mail.get("password").asString().orElse(null));
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    @Override
    public void send(Mail mail) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
            message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            message.setText(mail.body(), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            if (username != null) {
                Transport.send(message, username, password);
            } else {
                Transport.send(message);
            }
        } catch (MessagingException e) {
            throw new MailFailure("The mail server did not take the message: " + e.getClass().getSimpleName(), e);
        }
    }
}
