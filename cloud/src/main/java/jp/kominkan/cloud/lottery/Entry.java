package jp.kominkan.cloud.lottery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One frozen application (抽選申込) as the draw and the public audit file see it: pseudonymous, with its
 * priority tier and its ranked wishes. A wish is one unit or several consecutive units wanted all or nothing.
 *
 * @param id        the application's public number (shown to its applicant, who can find it in the audit file)
 * @param applicant the applicant's pseudonym in this round: the same for every application of one verified person
 * @param group     the group's pseudonym in this round, when applied for a group (団体)
 * @param tier      its priority tier, 0 first
 * @param wishes    the wishes in the applicant's order (第1希望 first); each a list of unit ids
 */
public record Entry(String id, String applicant, Optional<String> group, int tier, List<List<Long>> wishes) {

    /** What a public number or a pseudonym may hold: the canonical form must not be ambiguous. */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9-]{1,40}");

    /** Checks the fields: tokens, a tier, 1 to 20 wishes of 1 to 16 distinct units each. */
    public Entry {
        Objects.requireNonNull(group, "group");
        if (!TOKEN.matcher(Objects.requireNonNull(id, "id")).matches()
                || !TOKEN.matcher(Objects.requireNonNull(applicant, "applicant")).matches()
                || group.filter(g -> !TOKEN.matcher(g).matches()).isPresent()) {
            throw new IllegalArgumentException("ids and pseudonyms are 1 to 40 letters, digits or '-'");
        }
        if (tier < 0 || tier > 99) {
            throw new IllegalArgumentException("tier is 0 to 99");
        }
        wishes = List.copyOf(wishes.stream().map(List::copyOf).toList());
        if (wishes.isEmpty() || wishes.size() > 20) {
            throw new IllegalArgumentException("an application has 1 to 20 wishes");
        }
        for (List<Long> wish : wishes) {
            if (wish.isEmpty() || wish.size() > 16 || wish.stream().distinct().count() != wish.size()) {
                throw new IllegalArgumentException("a wish has 1 to 16 distinct units");
            }
        }
    }
}
