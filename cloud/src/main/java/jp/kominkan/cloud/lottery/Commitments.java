package jp.kominkan.cloud.lottery;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The commitments that make the draw checkable (コミットメント): published at the close, before the seed exists.
 *
 * <ul>
 *   <li>The applications' commitment: SHA-256 over their canonical text — first what else the draw depends on,
 *       {@code "round" TAB id TAB "algorithm" TAB version TAB "caps" TAB perApplicant,perGroup,substitutes TAB
 *       "units" TAB unit ids sorted and joined by + LF}, then one line per application, sorted by id:
 *       {@code id TAB applicant TAB group-or-"-" TAB tier TAB wishes LF}, wishes separated by {@code ;} and
 *       the units of one wish by {@code +}, in the applicant's order. Ids and pseudonyms hold no TAB, {@code ;},
 *       {@code +} or line break ({@link Entry#TOKEN}), so the text has one reading; and neither the caps nor the
 *       units can change after the close without the commitment showing it.</li>
 *   <li>The seed commitment: SHA-256 of the 32 secret bytes drawn by the server at the close, in hex.</li>
 *   <li>The seed: SHA-256 over {@code "kominkan-lottery-seed/1" LF secret-hex LF randomness LF
 *       applications-commitment}, where randomness is what staff entered at the draw (or the beacon's value).
 *       Neither the server alone (it committed to its secret before the randomness existed) nor the staff alone
 *       (they did not know the secret) could choose the outcome.</li>
 * </ul>
 */
public final class Commitments {

    private static final HexFormat HEX = HexFormat.of();

    private Commitments() {
    }

    /**
     * What the draw depends on besides the applications and the seed, committed to with them.
     *
     * @param roundId the round
     * @param caps    its caps
     * @param units   its units' ids
     */
    public record Frame(long roundId, Caps caps, java.util.Collection<Long> units) {
        /** Copies the units. */
        public Frame {
            java.util.Objects.requireNonNull(caps, "caps");
            units = List.copyOf(units);
        }
    }

    /**
     * @param frame        the round, caps and units
     * @param applications frozen applications, in any order
     * @return their canonical text
     */
    public static String canonical(Frame frame, List<Entry> applications) {
        StringBuilder text = new StringBuilder(applications.size() * 48 + frame.units().size() * 6);
        text.append("round\t").append(frame.roundId()).append("\talgorithm\t").append(Draw.ALGORITHM)
                .append("\tcaps\t").append(frame.caps().winsPerApplicant()).append(',')
                .append(frame.caps().winsPerGroup()).append(',').append(frame.caps().substitutes()).append("\tunits\t")
                .append(frame.units().stream().sorted().map(String::valueOf).collect(Collectors.joining("+")))
                .append('\n');
        for (Entry e : applications.stream().sorted(Comparator.comparing(Entry::id)).toList()) {
            text.append(e.id()).append('\t').append(e.applicant()).append('\t').append(e.group().orElse("-"))
                    .append('\t').append(e.tier()).append('\t')
                    .append(e.wishes().stream().map(w -> w.stream().map(String::valueOf).collect(Collectors.joining("+")))
                            .collect(Collectors.joining(";")))
                    .append('\n');
        }
        return text.toString();
    }

    /**
     * @param frame        the round, caps and units
     * @param applications frozen applications
     * @return the hex SHA-256 of their canonical text
     */
    public static String applications(Frame frame, List<Entry> applications) {
        return sha256Hex(canonical(frame, applications).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param secret the server's 32 secret bytes
     * @return the hex SHA-256 published at the close
     */
    public static String seedCommitment(byte[] secret) {
        return sha256Hex(secret);
    }

    /**
     * @param secret                 the server's 32 secret bytes, revealed at the draw
     * @param randomness             what staff entered, or the beacon's value
     * @param applicationsCommitment the applications' commitment
     * @return the 32-byte seed
     */
    public static byte[] seed(byte[] secret, String randomness, String applicationsCommitment) {
        String text = "kominkan-lottery-seed/1\n" + HEX.formatHex(secret) + "\n" + randomness + "\n"
                + applicationsCommitment;
        return Draw.sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param bytes bytes
     * @return their SHA-256 in lower-case hex
     */
    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(Draw.sha256().digest(bytes));
    }
}
