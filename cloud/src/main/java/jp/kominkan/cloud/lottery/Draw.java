package jp.kominkan.cloud.lottery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The draw (抽選), algorithm {@value #ALGORITHM}: deterministic from the frozen applications, the units, the
 * caps and the seed, so that anyone holding the audit file computes the same result. No I/O, no clock, no
 * {@code Random}: the order within a tier is SHA-256(seed ‖ 0x00 ‖ application id), compared as unsigned bytes.
 *
 * <ol>
 *   <li>Order: by tier (0 first), then by that hash, then by id (a tie needs a SHA-256 collision).</li>
 *   <li>Rounds: in round <i>r</i> every application that has not won, in order, is served its <i>r</i>-th wish
 *       if the wish's units are all still free and neither its applicant nor its group is at its cap of wins.
 *       So everyone's first wish is tried before anyone's second (希望順位ごとの巡回).</li>
 *   <li>Substitutes (補欠): for each unit, the applications that won nothing and wished for it, in draw order
 *       and then by wish, up to the cap; an application appears at most once per unit.</li>
 * </ol>
 * See {@code docs/lottery.md}.
 */
public final class Draw {

    /** The version named in audit files; a change to the rules above gets a new one. */
    public static final String ALGORITHM = "kominkan-draw/1";

    private Draw() {
    }

    /**
     * @param units        the round's units
     * @param applications the frozen applications
     * @param caps         the caps
     * @param seed         the 32-byte seed
     * @return the result
     * @throws IllegalArgumentException when a wish names a unit outside the round, an id repeats, or the seed is
     *                                  not 32 bytes
     */
    public static DrawResult run(Collection<Long> units, List<Entry> applications, Caps caps, byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("the seed is 32 bytes");
        }
        Set<Long> known = new HashSet<>(units);
        Set<String> ids = new HashSet<>();
        int ranks = 0;
        for (Entry entry : applications) {
            if (!ids.add(entry.id())) {
                throw new IllegalArgumentException("application " + entry.id() + " appears twice");
            }
            for (List<Long> wish : entry.wishes()) {
                for (Long unit : wish) {
                    if (!known.contains(unit)) {
                        throw new IllegalArgumentException("application " + entry.id() + " wishes for unit " + unit
                                + ", which is not in the round");
                    }
                }
            }
            ranks = Math.max(ranks, entry.wishes().size());
        }
        List<Entry> order = order(applications, seed);
        Set<Long> taken = new HashSet<>();
        Set<String> won = new HashSet<>();
        Map<String, Integer> applicantWins = new HashMap<>();
        Map<String, Integer> groupWins = new HashMap<>();
        List<DrawResult.Win> wins = new ArrayList<>();
        for (int rank = 1; rank <= ranks; rank++) {
            for (Entry entry : order) {
                if (won.contains(entry.id()) || entry.wishes().size() < rank) {
                    continue;
                }
                if (applicantWins.getOrDefault(entry.applicant(), 0) >= caps.winsPerApplicant()
                        || entry.group().filter(g -> groupWins.getOrDefault(g, 0) >= caps.winsPerGroup()).isPresent()) {
                    continue;
                }
                List<Long> wish = entry.wishes().get(rank - 1);
                if (wish.stream().anyMatch(taken::contains)) {
                    continue;
                }
                taken.addAll(wish);
                won.add(entry.id());
                applicantWins.merge(entry.applicant(), 1, Integer::sum);
                entry.group().ifPresent(g -> groupWins.merge(g, 1, Integer::sum));
                wins.add(new DrawResult.Win(entry.id(), rank, wish));
            }
        }
        TreeMap<Long, List<DrawResult.Substitute>> substitutes = new TreeMap<>();
        if (caps.substitutes() > 0) {
            for (Entry entry : order) {
                if (won.contains(entry.id())) {
                    continue;
                }
                for (int rank = 1; rank <= entry.wishes().size(); rank++) {
                    for (Long unit : entry.wishes().get(rank - 1)) {
                        List<DrawResult.Substitute> list = substitutes.computeIfAbsent(unit, u -> new ArrayList<>());
                        if (list.size() < caps.substitutes()
                                && list.stream().noneMatch(s -> s.application().equals(entry.id()))) {
                            list.add(new DrawResult.Substitute(entry.id(), rank));
                        }
                    }
                }
            }
        }
        return new DrawResult(order.stream().map(Entry::id).toList(), wins, substitutes);
    }

    /**
     * @param applications the applications
     * @param seed         the seed
     * @return them in draw order
     */
    static List<Entry> order(List<Entry> applications, byte[] seed) {
        record Keyed(Entry entry, byte[] key) {
        }
        MessageDigest sha = sha256();
        List<Keyed> keyed = new ArrayList<>(applications.size());
        for (Entry entry : applications) {
            sha.update(seed);
            sha.update((byte) 0);
            keyed.add(new Keyed(entry, sha.digest(entry.id().getBytes(StandardCharsets.US_ASCII))));
        }
        keyed.sort(Comparator.<Keyed>comparingInt(k -> k.entry().tier())
                .thenComparing(Keyed::key, Arrays::compareUnsigned)
                .thenComparing(k -> k.entry().id()));
        return keyed.stream().map(Keyed::entry).toList();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
