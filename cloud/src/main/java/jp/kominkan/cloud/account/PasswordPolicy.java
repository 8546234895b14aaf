package jp.kominkan.cloud.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jp.kominkan.cloud.web.Problem;

/**
 * What a new password must be, for residents and staff, following NIST SP 800-63B §3.1.1.2: long enough (NIST asks
 * for at least 8 characters when a password is the only factor and recommends 15; Kominkan asks 10 of residents and
 * 12 of staff), long ones allowed (up to 128 characters, spaces and any script included), no composition rules
 * (no "one digit and one symbol"), and refused when it is in a list of the commonest passwords
 * ({@code /passwords/common.txt}, compared case-insensitively), is one character repeated or a straight run such
 * as {@code 0987654321}, or is the account's own e-mail address, its local part or the person's name.
 */
public final class PasswordPolicy {

    /** A resident's shortest password. */
    public static final int MIN_RESIDENT = 10;
    /** A member of staff's shortest password. */
    public static final int MIN_STAFF = 12;
    /** The longest password taken (Argon2 would hash more; a limit keeps a request's work bounded). */
    public static final int MAX = 128;

    private static final PasswordPolicy DEFAULT = new PasswordPolicy(load("/passwords/common.txt"));

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = Set.copyOf(common);
    }

    /** @return the policy with the list shipped in the jar */
    public static PasswordPolicy standard() {
        return DEFAULT;
    }

    /**
     * @param password  the new password
     * @param minLength the shortest allowed ({@link #MIN_RESIDENT} or {@link #MIN_STAFF})
     * @param email     the account's e-mail, if known
     * @param name      the person's name, if known
     * @return the password, unchanged
     * @throws Problem 400 on the field {@code password} saying what is wrong
     */
    public String check(String password, int minLength, Optional<String> email, Optional<String> name) {
        if (password == null || password.isBlank()) {
            throw Problem.badField("password", "Enter a password.", "パスワードを入力してください。");
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength || length > MAX) {
            throw Problem.badField("password",
                    "The password must be " + minLength + " to " + MAX + " characters long. A few unrelated words"
                            + " make a long password that is easy to remember.",
                    "パスワードは " + minLength + "〜" + MAX + " 文字にしてください。関係のない単語をいくつか"
                            + "並べると、覚えやすく長いパスワードになります。");
        }
        String folded = password.strip().toLowerCase(Locale.ROOT);
        if (common.contains(folded) || repetitive(folded)) {
            throw Problem.badField("password",
                    "This password is one of the most common ones and is guessed first. Choose another.",
                    "このパスワードはよく使われているため、真っ先に推測されます。別のパスワードにしてください。");
        }
        if (email.map(e -> ownEmail(folded, e)).orElse(false) || name.map(n -> ownName(folded, n)).orElse(false)) {
            throw Problem.badField("password",
                    "Do not use your e-mail address or your name as the password.",
                    "メールアドレスやお名前をパスワードにしないでください。");
        }
        return password;
    }

    /**
     * @param folded a lower-cased password
     * @return whether it is one character repeated, or a run up or down by one (abcdef…, 987654…)
     */
    static boolean repetitive(String folded) {
        int[] c = folded.codePoints().toArray();
        if (c.length < 2) {
            return true;
        }
        int step = c[1] - c[0];
        if (step < -1 || step > 1) {
            return false;
        }
        for (int i = 2; i < c.length; i++) {
            int d = c[i] - c[i - 1];
            // 0 follows 9 in a typed run (1234567890); 9 follows 0 going down.
            boolean wraps = (step == 1 && c[i - 1] == '9' && c[i] == '0') || (step == -1 && c[i - 1] == '0' && c[i] == '9');
            if (d != step && !wraps) {
                return false;
            }
        }
        return true;
    }

    private static boolean ownEmail(String folded, String email) {
        String address = email.strip().toLowerCase(Locale.ROOT);
        int at = address.indexOf('@');
        return folded.equals(address) || (at > 0 && folded.equals(address.substring(0, at)));
    }

    private static boolean ownName(String folded, String name) {
        String bare = name.toLowerCase(Locale.ROOT).replaceAll("[\\s\\u3000]+", "");
        return !bare.isEmpty() && folded.replaceAll("[\\s\\u3000]+", "").equals(bare);
    }

    private static Set<String> load(String resource) {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            Set<String> words = new HashSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
