package jp.kominkan.cloud.receipt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's poppler-utils ({@code pdftotext}, {@code pdffonts}) run as processes, so the PDFs are read back by a
 * reader that is not PDFBox. Missing tools fail the test, naming the package ({@code ./kominkan test} installs it).
 */
final class Poppler {

    private static final Pattern WORD = Pattern.compile(
            "<word xMin=\"([\\d.]+)\" yMin=\"([\\d.]+)\" xMax=\"([\\d.]+)\" yMax=\"([\\d.]+)\">");
    private static final Pattern PAGE = Pattern.compile("<page width=\"([\\d.]+)\" height=\"([\\d.]+)\">");

    private Poppler() {
    }

    /** @return {@code pdftotext -layout} of the PDF */
    static String text(byte[] pdf) {
        return run(pdf, "pdftotext", "-layout", "-enc", "UTF-8");
    }

    /** @return {@code pdffonts} of the PDF */
    static String fonts(byte[] pdf) {
        return run(pdf, "pdffonts");
    }

    /** A word's box on its page, in points from the top left. */
    record Word(double xMin, double yMin, double xMax, double yMax, double pageWidth, double pageHeight) {
    }

    /** @return every word with its box, from {@code pdftotext -bbox} */
    static List<Word> words(byte[] pdf) {
        String html = run(pdf, "pdftotext", "-bbox", "-enc", "UTF-8");
        List<Word> words = new ArrayList<>();
        double width = 0;
        double height = 0;
        for (String line : html.split("\n")) {
            Matcher page = PAGE.matcher(line);
            if (page.find()) {
                width = Double.parseDouble(page.group(1));
                height = Double.parseDouble(page.group(2));
            }
            Matcher word = WORD.matcher(line);
            if (word.find()) {
                words.add(new Word(Double.parseDouble(word.group(1)), Double.parseDouble(word.group(2)),
                        Double.parseDouble(word.group(3)), Double.parseDouble(word.group(4)), width, height));
            }
        }
        return words;
    }

    private static String run(byte[] pdf, String... command) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("receipt-test");
            Path in = Files.write(dir.resolve("in.pdf"), pdf);
            Path out = dir.resolve("out.txt");
            List<String> args = new ArrayList<>(List.of(command));
            args.add(in.toString());
            boolean toFile = command[0].equals("pdftotext");
            if (toFile) {
                args.add(out.toString());
            }
            Process process;
            try {
                process = new ProcessBuilder(args).redirectErrorStream(!toFile)
                        .redirectOutput(toFile ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.PIPE)
                        .start();
            } catch (IOException e) {
                return fail(command[0] + " not found (" + e.getMessage() + "): apt-get install poppler-utils,"
                        + " or run ./kominkan test, which installs it");
            }
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(command[0] + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                return fail(String.join(" ", command) + " exited " + process.exitValue() + ": " + stdout
                        + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return toFile ? Files.readString(out, StandardCharsets.UTF_8) : stdout;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp folder left behind is harmless
                }
            }
        }
    }
}
