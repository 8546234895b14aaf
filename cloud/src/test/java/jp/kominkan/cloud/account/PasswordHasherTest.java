package jp.kominkan.cloud.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);

    @Test
    void aHashVerifiesItsPasswordOnly() {
        String hash = hasher.hash("kominkan-demo");
        assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("kominkan-demo");
        assertThat(hasher.verify("kominkan-demo", hash)).isTrue();
        assertThat(hasher.verify("kominkan-dem0", hash)).isFalse();
    }

    @Test
    void theSamePasswordGetsADifferentSaltEachTime() {
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    }

    @Test
    void hashesMadeWithOtherParametersStillVerify() {
        String strong = PasswordHasher.DEFAULT.hash("kominkan-admin");
        assertThat(hasher.verify("kominkan-admin", strong)).isTrue();
        assertThat(hasher.verify("kominkan-admin", "$bcrypt$not-ours")).isFalse();
    }
}
