package jp.kominkan.cloud.receipt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.helidon.config.Config;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The Japanese TrueType font receipts are printed in, read once at start-up and checked there, so a server with
 * a missing or unusable font stops with a clear message instead of failing the first resident who asks for a
 * receipt.
 *
 * <p>Why IPAex Gothic and not the Noto CJK that the pages use: Noto CJK is CFF-outlined (OpenType/PostScript),
 * and PDFBox 3 embeds only glyf-outlined TrueType ({@code OTF fonts do not have a glyf table}). IPAex is glyf
 * TrueType, its licence allows embedding, and a subset keeps a receipt near 20 KB instead of 4 MB
 * (docs/receipts.md). The file's bytes are kept; each document gets its own {@link PDType0Font}, because a PDFBox
 * font belongs to the document it was loaded into and is not safe to share between threads.
 */
public final class ReceiptFont {

    /** Debian's {@code fonts-ipaexfont} (the package's own path). */
    public static final Path IPAEX_GOTHIC = Path.of("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf");

    /** Debian's alternatives link for "the" Japanese Gothic font; some other package may own it. */
    public static final Path JAPANESE_GOTHIC = Path.of("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf");

    /** Characters every receipt prints, and the one that stands in for a character the font lacks. */
    static final String REQUIRED = "領収書還付通知金円也様但し〓0123456789,";

    private static final String INSTALL = "apt-get install fonts-ipaexfont, or set receipt.font-path to a TrueType"
            + " (glyf) Japanese font";

    private final Path path;
    private final byte[] bytes;

    private ReceiptFont(Path path, byte[] bytes) {
        this.path = path;
        this.bytes = bytes;
    }

    /**
     * @param receipt the {@code receipt} config node; {@code font-path} names the font file, and without it
     *                {@link #IPAEX_GOTHIC}, else {@link #JAPANESE_GOTHIC}, is used
     * @return the checked font
     * @throws Unusable when the file is missing, unreadable or cannot be embedded
     */
    public static ReceiptFont fromConfig(Config receipt) {
        Optional<String> configured = receipt.get("font-path").asString().asOptional();
        return load(configured.map(Path::of).orElseGet(ReceiptFont::defaultPath));
    }

    /** @return the first of {@link #IPAEX_GOTHIC} and {@link #JAPANESE_GOTHIC} that exists, else the former */
    public static Path defaultPath() {
        return List.of(IPAEX_GOTHIC, JAPANESE_GOTHIC).stream().filter(Files::isRegularFile).findFirst()
                .orElse(IPAEX_GOTHIC);
    }

    /**
     * Reads the font and proves it works: loads it into a throw-away document as a subset and encodes
     * {@link #REQUIRED}.
     *
     * @param path a TrueType ({@code .ttf}, glyf outlines) font file
     * @return the checked font
     * @throws Unusable when the file is missing, unreadable or cannot be embedded
     */
    public static ReceiptFont load(Path path) {
        Objects.requireNonNull(path, "path");
        if (!Files.isRegularFile(path)) {
            throw new Unusable("receipt font " + path + " not found: " + INSTALL);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new Unusable("receipt font " + path + " cannot be read (" + e.getMessage() + "): " + INSTALL, e);
        }
        ReceiptFont font = new ReceiptFont(path, bytes);
        try (PDDocument trial = new PDDocument()) {
            PDType0Font loaded = font.embedIn(trial);
            for (int i = 0; i < REQUIRED.length(); i++) {
                String c = REQUIRED.substring(i, i + 1);
                try {
                    loaded.encode(c);
                } catch (IllegalArgumentException e) {
                    throw new Unusable("receipt font " + path + " has no glyph for " + c
                            + " (not a Japanese font?): " + INSTALL, e);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Unusable unusable) {
                throw unusable;
            }
            // PDFBox says "OTF fonts do not have a glyf table" for a CFF font such as Noto CJK,
            // "This font does not permit embedding" for a restricted licence, and worse for a TrueType Collection.
            throw new Unusable("receipt font " + path + " cannot be embedded by PDFBox (" + e.getMessage()
                    + "); a CFF/OpenType or .ttc font does not work: " + INSTALL, e);
        }
        return font;
    }

    /** @return the font file, for the start-up log */
    public Path path() {
        return path;
    }

    /** @return the font loaded into {@code document}, to be subset-embedded when it is saved */
    PDType0Font embedIn(PDDocument document) throws IOException {
        return PDType0Font.load(document, new RandomAccessReadBuffer(bytes), true, false); // subset, horizontal
    }

    /** The receipt font cannot be used; the message says which file and what to install. */
    public static final class Unusable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
