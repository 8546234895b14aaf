package jp.kominkan.cloud.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.web.Problem;
import org.junit.jupiter.api.Test;

/** NIST SP 800-63B's rules as Kominkan applies them: length, the common list, repetition, the person's own words. */
class PasswordPolicyTest {

    final PasswordPolicy policy = PasswordPolicy.standard();

    @Test
    void theCommonListIsComparedCaseInsensitivelyAndHoldsJapaneseFavourites() {
        for (String common : new String[] {"1234567890", "Password123", "QWERTYUIOP", "sakura2000", "Doraemon123",
                "pikachu1234", "iloveyou123", "tanaka12345", "1qaz2wsx3edc"}) {
            assertRefused(common, "よく使われている");
        }
    }

    @Test
    void repeatedCharactersAndStraightRunsAreRefused() {
        assertThat(PasswordPolicy.repetitive("zzzzzzzzzzzz")).isTrue();
        assertThat(PasswordPolicy.repetitive("abcdefghijklm")).isTrue();
        assertThat(PasswordPolicy.repetitive("9876543210")).isTrue();
        assertThat(PasswordPolicy.repetitive("4567890123")).isTrue();
        assertThat(PasswordPolicy.repetitive("abcdefghix")).isFalse();
    }

    @Test
    void lengthIsCountedInCharactersNotBytesAndLongPhrasesAreWelcome() {
        assertRefused("ninechars", "10〜128");
        assertThat(policy.check("山吹の川で石を拾った日", PasswordPolicy.MIN_RESIDENT, Optional.empty(), Optional.empty()))
                .hasSize(11);
        assertRefused("x".repeat(64) + "y".repeat(65), "10〜128");
        assertThat(policy.check("correct stapler mountain river sky blue ".repeat(3), 10, Optional.empty(),
                Optional.empty())).isNotEmpty();
    }

    @Test
    void theAccountsOwnEmailItsLocalPartAndTheNameAreRefused() {
        Optional<String> email = Optional.of("Hanako.Yamabuki@example.jp");
        Optional<String> name = Optional.of("Yamabuki　Hanako");
        for (String own : new String[] {"hanako.yamabuki@example.jp", "HANAKO.YAMABUKI", "yamabukihanako",
                "Yamabuki Hanako"}) {
            assertThatThrownBy(() -> policy.check(own, 10, email, name)).isInstanceOfSatisfying(Problem.class,
                    p -> assertThat(p.japanese()).contains("メールアドレスやお名前"));
        }
    }

    @Test
    void theDemoPasswordsPassForResidentsAndStaff() {
        policy.check(DemoData.RESIDENT_PASSWORD, PasswordPolicy.MIN_RESIDENT, Optional.of(DemoData.RESIDENT_EMAIL),
                Optional.of("山吹 花子"));
        policy.check(DemoData.ADMIN_PASSWORD, PasswordPolicy.MIN_STAFF, Optional.of(DemoData.ADMIN_EMAIL), Optional.empty());
        policy.check(DemoData.CARETAKER_PASSWORD, PasswordPolicy.MIN_STAFF, Optional.of(DemoData.CARETAKER_EMAIL),
                Optional.empty());
    }

    private void assertRefused(String password, String why) {
        assertThatThrownBy(() -> policy.check(password, PasswordPolicy.MIN_RESIDENT, Optional.empty(), Optional.empty()))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.field()).contains("password");
                    assertThat(p.japanese()).as(password).contains(why);
                });
    }
}
