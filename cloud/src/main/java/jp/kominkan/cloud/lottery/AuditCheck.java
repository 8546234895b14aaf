package jp.kominkan.cloud.lottery;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Recomputes a round from its audit file and says where it differs from what the file claims: the
 * commitments, the seed, every win in the order given and every substitute list. An empty list means identical.
 */
public final class AuditCheck {

    private static final int MAX_DIFFERENCES = 50;

    private AuditCheck() {
    }

    /**
     * @param file an audit file
     * @return the differences found, at most 50, in words; empty when the file recomputes exactly
     */
    public static List<String> differences(AuditFile file) {
        List<String> found = new ArrayList<>();
        if (!AuditFile.FORMAT.equals(file.format())) {
            found.add("format is " + file.format() + "; this tool reads " + AuditFile.FORMAT);
            return found;
        }
        if (!Draw.ALGORITHM.equals(file.algorithm())) {
            found.add("algorithm is " + file.algorithm() + "; this tool computes " + Draw.ALGORITHM);
            return found;
        }
        List<Entry> entries;
        Caps caps;
        byte[] secret;
        try {
            entries = file.entries();
            caps = new Caps(file.caps().winsPerApplicant(), file.caps().winsPerGroup(), file.caps().substitutes());
            secret = HexFormat.of().parseHex(Objects.requireNonNull(file.seed().secret(), "seed.secret"));
            Objects.requireNonNull(file.round(), "round");
            Objects.requireNonNull(file.results().wins(), "results.wins");
            file.units().forEach(u -> Objects.requireNonNull(u, "a unit"));
        } catch (RuntimeException e) {
            found.add("the file cannot be read as a draw: " + e.getMessage());
            return found;
        }
        String applications = Commitments.applications(new Commitments.Frame(file.round().id(), caps,
                file.units().stream().map(AuditFile.UnitView::id).toList()), entries);
        if (!applications.equals(file.commitments().applications())) {
            found.add("applications commitment: the applications hash to " + applications + ", the file publishes "
                    + file.commitments().applications() + " (an application was changed, added or removed)");
        }
        String seedCommitment = Commitments.seedCommitment(secret);
        if (!seedCommitment.equals(file.commitments().seed())) {
            found.add("seed commitment: the revealed secret hashes to " + seedCommitment + ", the file published "
                    + file.commitments().seed() + " at the close");
        }
        byte[] seed = Commitments.seed(secret, String.valueOf(file.seed().randomness()),
                file.commitments().applications());
        String seedHex = HexFormat.of().formatHex(seed);
        if (!seedHex.equals(file.seed().value())) {
            found.add("seed: the secret, randomness and commitment give " + seedHex + ", the file says "
                    + file.seed().value());
        }
        DrawResult recomputed;
        try {
            recomputed = Draw.run(file.units().stream().map(AuditFile.UnitView::id).toList(), entries, caps, seed);
        } catch (IllegalArgumentException e) {
            found.add("the draw cannot run on this file: " + e.getMessage());
            return found;
        }
        compare(found, AuditFile.view(recomputed), file.results());
        return found.size() > MAX_DIFFERENCES ? found.subList(0, MAX_DIFFERENCES) : found;
    }

    private static void compare(List<String> found, AuditFile.ResultView expected, AuditFile.ResultView claimed) {
        List<AuditFile.WinView> wins = claimed.wins() == null ? List.of() : claimed.wins();
        for (int i = 0; i < Math.max(expected.wins().size(), wins.size()); i++) {
            AuditFile.WinView e = i < expected.wins().size() ? expected.wins().get(i) : null;
            AuditFile.WinView c = i < wins.size() ? wins.get(i) : null;
            if (!Objects.equals(e, c)) {
                found.add("win " + (i + 1) + ": recomputed " + describe(e) + ", the file says " + describe(c));
            }
        }
        var claimedSubstitutes = claimed.substitutes() == null ? java.util.Map.<String, List<AuditFile.SubstituteView>>of()
                : claimed.substitutes();
        java.util.Set<String> unitKeys = new java.util.TreeSet<>(expected.substitutes().keySet());
        unitKeys.addAll(claimedSubstitutes.keySet());
        for (String unit : unitKeys) {
            List<AuditFile.SubstituteView> e = expected.substitutes().getOrDefault(unit, List.of());
            List<AuditFile.SubstituteView> c = claimedSubstitutes.getOrDefault(unit, List.of());
            if (!e.equals(c)) {
                found.add("substitutes of unit " + unit + ": recomputed " + e.stream()
                        .map(AuditFile.SubstituteView::application).toList() + ", the file says "
                        + c.stream().map(AuditFile.SubstituteView::application).toList());
            }
        }
    }

    private static String describe(AuditFile.WinView win) {
        return win == null ? "no win" : win.application() + " wish " + win.rank() + " units " + win.units();
    }
}
