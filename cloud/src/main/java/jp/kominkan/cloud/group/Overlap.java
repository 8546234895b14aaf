package jp.kominkan.cloud.group;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * Another group whose roster shares many members with this one, shown to staff (重複の疑い): one club
 * registered as several groups gets several times the lottery entries and reductions. It is a flag for a
 * person to look at, never a refusal — families and neighbours do belong to more than one group.
 *
 * <p>Names are compared as {@link #key(String) keys}: NFKC (full-width and half-width alike), without
 * any spaces, lower case. A pair is flagged when at least {@value #MIN_SHARED} members are shared and they
 * are at least half of the smaller roster.
 *
 * @param otherId     the other group
 * @param otherName   its name
 * @param otherStatus its status
 * @param shared      members on both rosters
 * @param smaller     the size of the smaller roster
 */
public record Overlap(long otherId, String otherName, GroupStatus otherStatus, int shared, int smaller) {

    /** Fewest shared members flagged: two one-person groups of the same person are not a pattern. */
    public static final int MIN_SHARED = 2;

    /** Checks the parts. */
    public Overlap {
        Objects.requireNonNull(otherName, "otherName");
        Objects.requireNonNull(otherStatus, "otherStatus");
        if (shared < 0 || smaller < shared) {
            throw new IllegalArgumentException("shared " + shared + " of " + smaller);
        }
    }

    /** @return the shared members as a whole percentage of the smaller roster */
    public int percent() {
        return smaller == 0 ? 0 : shared * 100 / smaller;
    }

    /**
     * @param shared members on both rosters
     * @param sizeA  one roster's size (distinct keys)
     * @param sizeB  the other's
     * @return whether staff should be shown the pair
     */
    public static boolean flagged(int shared, int sizeA, int sizeB) {
        int smaller = Math.min(sizeA, sizeB);
        return shared >= MIN_SHARED && smaller > 0 && shared * 2 >= smaller;
    }

    /**
     * @param name a member's name
     * @return the name as compared: NFKC, no white space (full-width spaces too), lower case
     */
    public static String key(String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(folded.length());
        folded.codePoints().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && c != '・' && c != '･').forEach(key::appendCodePoint);
        return key.toString();
    }
}
