package jp.kominkan.cloud.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The worker's rules without a database: how long it pauses, and what it keeps of a failure. */
class MailOutboxPolicyTest {

    @Test
    void pausesDoubleFromThirtySecondsToAtMostAnHour() {
        MailWorker.Settings settings = MailWorker.Settings.DEFAULT;
        assertThat(settings.pauseAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.pauseAfter(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.pauseAfter(3)).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.pauseAfter(7)).isEqualTo(Duration.ofMinutes(32));
        assertThat(settings.pauseAfter(8)).isEqualTo(Duration.ofHours(1));
        assertThat(settings.pauseAfter(19)).isEqualTo(Duration.ofHours(1));
        assertThat(settings.pauseAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(1));
        assertThat(settings.maxAttempts()).isEqualTo(20);
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new MailWorker.Settings(0, Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofMinutes(5), 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailWorker.Settings(20, Duration.ofHours(2), Duration.ofHours(1),
                Duration.ofMinutes(5), 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailWorker.Settings(20, Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ZERO, 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeptFailureHasNoAddressesOneLineAndFitsItsColumn() {
        Mailer.Mail mail = new Mailer.Mail("Taro.Yamada+yoyaku@city.example.lg.jp", "件名", "本文");
        String problem = MailWorker.problem(new Mailer.MailFailure("The mail server did not take the message",
                new IOException("550 <Taro.Yamada+yoyaku@city.example.lg.jp>\r\nalso to hanako@example.jp "
                        + "x".repeat(1000))), mail);
        assertThat(problem).startsWith("The mail server did not take the message (IOException: 550 <<recipient>> "
                + "also to <address> xxx").doesNotContain("@", "\n", "\r").hasSize(MailOutbox.ERROR_MAX);
        assertThat(MailWorker.problem(new NullPointerException(), mail)).isEqualTo("NullPointerException");
    }
}
