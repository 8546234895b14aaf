package jp.kominkan.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import jp.kominkan.cloud.lottery.AuditCheck;
import jp.kominkan.cloud.lottery.AuditFile;

/**
 * {@code kominkan lottery verify audit.json}: recomputes a round's draw from its public audit file, with no server,
 * database or key, and says whether it is identical to what the file claims or where it differs. Exit status 0 when
 * identical, 1 when it differs, 2 when the file cannot be read.
 */
public final class LotteryCommand {

    /** The largest audit file read: a round of 100,000 applications is about 20 MB. */
    static final long MAX_BYTES = 512L * 1024 * 1024;

    private LotteryCommand() {
    }

    /**
     * @param args {@code lottery verify FILE}
     * @param out  where the verdict goes
     * @param err  where usage and read errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 3 || !args[0].equals("lottery") || !args[1].equals("verify")) {
            err.println("Usage: kominkan lottery verify audit.json   (the file from /api/v1/lottery/rounds/{id}/audit)");
            return 2;
        }
        Path path = Path.of(args[2]);
        AuditFile file;
        try {
            if (Files.size(path) > MAX_BYTES) {
                err.println(path + ": larger than " + MAX_BYTES + " bytes; not an audit file");
                return 2;
            }
            try (InputStream in = Files.newInputStream(path)) {
                file = AuditFile.read(in);
            }
        } catch (NoSuchFileException e) {
            err.println(path + ": no such file");
            return 2;
        } catch (IOException e) {
            err.println(path + ": not a readable audit file: " + oneLine(e.getMessage()));
            return 2;
        }
        long started = System.nanoTime();
        List<String> differences;
        try {
            differences = AuditCheck.differences(file);
        } catch (RuntimeException e) {
            err.println(path + ": not a complete audit file: " + oneLine(String.valueOf(e.getMessage())));
            return 2;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        out.println("Round " + file.round().id() + " 「" + file.round().name() + "」 (" + file.round().municipality()
                + " " + file.round().facility() + "): " + file.applications().size() + " applications, "
                + file.units().size() + " units, " + file.results().wins().size() + " wins, algorithm "
                + file.algorithm());
        out.println("applications commitment " + file.commitments().applications());
        out.println("seed " + file.seed().value() + " (" + file.seed().source() + ")");
        if (file.seed().source().startsWith("beacon")) {
            out.println("check the randomness \"" + file.seed().randomness() + "\" at the " + file.seed().source()
                    + " yourself: this tool cannot reach it");
        }
        if (differences.isEmpty()) {
            out.println("IDENTICAL: the draw recomputed from the file gives exactly its results (" + millis + " ms)");
            return 0;
        }
        out.println("DIFFERS in " + differences.size() + (differences.size() == 50 ? "+" : "") + " places:");
        differences.forEach(d -> out.println("  - " + d));
        return 1;
    }

    private static String oneLine(String message) {
        String text = message == null ? "" : message.replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
