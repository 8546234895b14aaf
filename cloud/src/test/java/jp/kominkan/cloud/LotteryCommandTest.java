package jp.kominkan.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jp.kominkan.cloud.lottery.AuditFile;
import jp.kominkan.cloud.lottery.Caps;
import jp.kominkan.cloud.lottery.Commitments;
import jp.kominkan.cloud.lottery.Draw;
import jp.kominkan.cloud.lottery.DrawResult;
import jp.kominkan.cloud.lottery.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kominkan lottery verify}: a file as the cloud writes it says IDENTICAL with status 0; a tampered one says
 * where it DIFFERS with status 1; a missing or malformed file is status 2 with a message, never a stack trace.
 */
class LotteryCommandTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LotteryCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static AuditFile file(int tamperedTier) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            entries.add(new Entry("A" + i, "p" + i, Optional.empty(), i % 2, List.of(List.of(1L + i % 3))));
        }
        byte[] secret = HexFormat.of().parseHex(Commitments.sha256Hex("secret".getBytes(StandardCharsets.UTF_8)));
        String commitment = Commitments.applications(new Commitments.Frame(7, new Caps(1, 1, 2), List.of(1L, 2L, 3L)),
                entries);
        byte[] seed = Commitments.seed(secret, "4 8 15 16 23 42", commitment);
        DrawResult result = Draw.run(List.of(1L, 2L, 3L), entries, new Caps(1, 1, 2), seed);
        List<AuditFile.ApplicationView> views = new ArrayList<>(AuditFile.views(entries));
        if (tamperedTier >= 0) {
            AuditFile.ApplicationView a = views.get(0);
            views.set(0, new AuditFile.ApplicationView(a.id(), a.applicant(), a.group(), tamperedTier, a.wishes()));
        }
        return new AuditFile(AuditFile.FORMAT, Draw.ALGORITHM, new AuditFile.RoundInfo(7, "山吹市", "体育館", "アリーナ",
                "", "", ""), List.of("市内", "その他"), new AuditFile.CapsView(1, 1, 2),
                List.of(1L, 2L, 3L).stream().map(u -> new AuditFile.UnitView(u, "アリーナ", "", "", "枠" + u)).toList(),
                views, new AuditFile.CommitmentView(commitment, Commitments.seedCommitment(secret), ""),
                new AuditFile.SeedView(HexFormat.of().formatHex(secret), "4 8 15 16 23 42", "staff",
                        HexFormat.of().formatHex(seed)), AuditFile.view(result), List.of());
    }

    Path write(AuditFile file) throws Exception {
        Path path = dir.resolve("audit.json");
        try (var out = Files.newOutputStream(path)) {
            file.write(out);
        }
        return path;
    }

    @Test
    void anUntouchedFileIsIdentical() throws Exception {
        Run run = run("lottery", "verify", write(file(-1)).toString());
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("IDENTICAL", "12 applications", "kominkan-draw/1");
    }

    @Test
    void aTamperedApplicationDiffersAndSaysWhere() throws Exception {
        Run run = run("lottery", "verify", write(file(1)).toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("DIFFERS", "applications commitment");
    }

    @Test
    void aMissingMalformedOrWronglyCalledFileIsStatusTwoWithAMessage() throws Exception {
        assertThat(run("lottery", "verify", dir.resolve("none.json").toString()).err()).contains("no such file");
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"format\": [1, 2");
        Run malformed = run("lottery", "verify", junk.toString());
        assertThat(malformed.status()).isEqualTo(2);
        assertThat(malformed.err()).contains("not a readable audit file").doesNotContain("\tat ");
        assertThat(run("lottery", "check").status()).isEqualTo(2);
    }
}
