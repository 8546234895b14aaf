package jp.kominkan.cloud.receipt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * An A5 page being written top to bottom, the one place that knows about PDFBox's coordinates: text is measured,
 * wrapped or shrunk so that nothing runs off the paper, a new page is started when one is full, and characters the
 * font lacks are printed as 〓 (the geta mark Japanese printing uses for a missing character) instead of throwing.
 *
 * <p>Every string is drawn with {@code showText} in a Type 0 font with a ToUnicode map, so the PDF's text can be
 * copied, searched and read back by {@code pdftotext}.
 */
final class Sheet implements AutoCloseable {

    static final float MARGIN = 36f;
    private static final PDRectangle PAPER = PDRectangle.A5;
    private static final float LEADING = 1.45f;
    private static final String NO_LINE_START = "、。，．,.)）」』】〕・ーぁぃぅぇぉっゃゅょァィゥェォッャュョ々〜！？!?%％円様";
    private static final String NO_LINE_END = "(（「『【〔";

    private final PDDocument document;
    private final PDType0Font font;
    private final String title;
    private final Map<Integer, Boolean> covered = new HashMap<>();
    private PDPageContentStream content;
    private float y;

    /** @param title the document's title, also printed at the top of each continuation page */
    Sheet(ReceiptFont receiptFont, String title) {
        this.title = title;
        document = new PDDocument();
        try {
            font = receiptFont.embedIn(document);
            document.getDocumentInformation().setTitle(title);
            document.getDocumentInformation().setProducer("Kominkan");
            newPage();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /** @return the usable width between the margins */
    float width() {
        return PAPER.getWidth() - 2 * MARGIN;
    }

    /**
     * @return {@code text} as it will be printed: variation selectors dropped (the base character prints; FontBox
     *         does not read the format 14 cmap), any other character the font lacks replaced by 〓
     */
    String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (isVariationSelector(cp)) {
                return;
            }
            out.appendCodePoint(covered.computeIfAbsent(cp, this::hasGlyph) ? cp : '〓');
        });
        return out.toString();
    }

    private boolean hasGlyph(int codePoint) {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    private static boolean isVariationSelector(int cp) {
        return cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF;
    }

    /** @return the width of already {@link #printable} text at {@code size} points */
    float measure(String printed, float size) {
        try {
            return font.getStringWidth(printed) / 1000f * size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Leaves {@code points} of empty space. */
    void gap(float points) {
        y -= points;
    }

    /**
     * One line at {@code size}, shrunk down to {@code minSize} if it is too wide, wrapped at {@code minSize} if it
     * still is.
     *
     * @param align where the line sits between the margins
     * @return the size used
     */
    float fitted(String text, float size, float minSize, Align align) {
        String printed = printable(text);
        float used = size;
        while (used > minSize && measure(printed, used) > width()) {
            used = Math.max(minSize, used - 0.5f);
        }
        for (String line : wrap(printed, used, width())) {
            ensureRoom(used * LEADING);
            y -= used * LEADING;
            float w = measure(line, used);
            float x = switch (align) {
                case LEFT -> MARGIN;
                case CENTER -> MARGIN + (width() - w) / 2;
                case RIGHT -> MARGIN + width() - w;
            };
            show(line, x, y + used * (LEADING - 1) / 2, used);
        }
        return used;
    }

    /** Text wrapped to the width, starting {@code indent} points in. */
    void paragraph(String text, float size, float indent) {
        for (String line : wrap(printable(text), size, width() - indent)) {
            ensureRoom(size * LEADING);
            y -= size * LEADING;
            show(line, MARGIN + indent, y + size * (LEADING - 1) / 2, size);
        }
    }

    /** A caption in a column of its own, and its value wrapped beside it: {@code 使用日時  令和…}. */
    void labelled(String caption, String value, float size, float captionWidth) {
        row(caption, value, null, size, captionWidth);
    }

    /** An itemised line: label wrapped on the left, amount right-aligned on its first line. */
    void amount(String label, String yen, float size, float indent) {
        row(null, label, yen, size, indent);
    }

    private void row(String caption, String value, String right, float size, float indent) {
        String printedRight = right == null ? null : printable(right);
        float rightWidth = printedRight == null ? 0 : measure(printedRight, size) + size;
        List<String> lines = wrap(printable(value), size, width() - indent - rightWidth);
        ensureRoom(size * LEADING * Math.min(lines.size(), 3));
        for (int i = 0; i < lines.size(); i++) {
            ensureRoom(size * LEADING);
            y -= size * LEADING;
            float baseline = y + size * (LEADING - 1) / 2;
            if (i == 0 && caption != null) {
                show(printable(caption), MARGIN, baseline, size);
            }
            show(lines.get(i), MARGIN + indent, baseline, size);
            if (i == 0 && printedRight != null) {
                show(printedRight, MARGIN + width() - measure(printedRight, size), baseline, size);
            }
        }
    }

    /** A thin line across the page, {@code above} points under the last text. */
    void rule(float above, float thickness) {
        ensureRoom(above + thickness);
        y -= above;
        stroke(MARGIN, y, MARGIN + width(), y, thickness);
    }

    /** A box drawn around the lines written by {@code body}. */
    void boxed(float padding, Runnable body) {
        ensureRoom(60);
        float top = y;
        int page = document.getNumberOfPages();
        y -= padding;
        body.run();
        y -= padding;
        if (document.getNumberOfPages() == page) { // a box split over two pages is left open
            try {
                content.setLineWidth(1.2f);
                content.addRect(MARGIN, y, width(), top - y);
                content.stroke();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return the finished PDF */
    byte[] finish() {
        try {
            content.close();
            content = null;
            ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (content != null) {
                content.close();
            }
            document.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Breaks printed text into lines no wider than {@code max}: between any two CJK characters (Japanese has no
     * spaces) or after a space, never before a closing mark or small kana nor after an opening bracket (禁則), and
     * anywhere in a word too long for a line of its own.
     */
    List<String> wrap(String printed, float size, float max) {
        List<String> lines = new ArrayList<>();
        int[] cps = printed.codePoints().toArray();
        int start = 0;
        while (start < cps.length) {
            int end = start;
            int lastBreak = -1;
            while (end < cps.length && measure(new String(cps, start, end - start + 1), size) <= max) {
                end++;
                if (end < cps.length && canBreak(cps[end - 1], cps[end])) {
                    lastBreak = end;
                }
            }
            if (end == start) {
                end = start + 1; // one character wider than the line: print it anyway
            } else if (end < cps.length && lastBreak > start) {
                end = lastBreak;
            }
            String line = new String(cps, start, end - start).strip();
            if (!line.isEmpty()) {
                lines.add(line);
            }
            start = end;
            while (start < cps.length && cps[start] == ' ') {
                start++;
            }
        }
        if (lines.isEmpty()) {
            lines.add("");
        }
        return lines;
    }

    private static boolean canBreak(int before, int after) {
        if (NO_LINE_START.indexOf(after) >= 0 || NO_LINE_END.indexOf(before) >= 0) {
            return false;
        }
        return before == ' ' || after == ' ' || isWide(before) || isWide(after);
    }

    private static boolean isWide(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || cp >= 0x3000 && cp <= 0x303F
                || cp >= 0xFF00 && cp <= 0xFFEF;
    }

    private void ensureRoom(float height) {
        if (y - height < MARGIN) {
            try {
                newPage();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void newPage() throws IOException {
        if (content != null) {
            content.close();
        }
        PDPage page = new PDPage(PAPER);
        document.addPage(page);
        content = new PDPageContentStream(document, page);
        y = PAPER.getHeight() - MARGIN;
        if (document.getNumberOfPages() > 1) {
            fitted(title + "（続き " + document.getNumberOfPages() + "枚目）", 9, 6, Align.RIGHT);
            gap(6);
        }
    }

    private void show(String printed, float x, float baseline, float size) {
        try {
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(x, baseline);
            content.showText(printed);
            content.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stroke(float x1, float y1, float x2, float y2, float thickness) {
        try {
            content.setLineWidth(thickness);
            content.moveTo(x1, y1);
            content.lineTo(x2, y2);
            content.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a line sits between the margins. */
    enum Align { LEFT, CENTER, RIGHT }
}
