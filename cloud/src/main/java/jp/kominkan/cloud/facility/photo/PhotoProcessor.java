package jp.kominkan.cloud.facility.photo;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import jp.kominkan.cloud.web.Problem;

/**
 * Turns a photo a member of staff uploaded into one that is safe to publish: a JPEG, PNG or WebP
 * recognised by its content, within size and pixel limits, decoded and re-encoded from its pixels
 * alone, so that nothing of the original file survives — no EXIF (a phone's GPS position of the
 * place it was taken), no XMP, no ICC profile comments, no PNG text chunks, no trailing data.
 *
 * <p>The declared file name and content type come from the browser and are not trusted: the format
 * is taken from the magic bytes, and the declaration only improves the message when a renamed file
 * is refused. Sizes are checked before any work: the upload's length before decoding, and the
 * dimensions in the image header before the pixels are decoded, so a small file that claims
 * 100,000 × 100,000 pixels (a decompression bomb) costs nothing.
 *
 * <p>Output is JPEG, except that an image with transparent pixels stays PNG; WebP becomes JPEG (the
 * WebP plugin reads only). The EXIF orientation of a JPEG is applied before it is dropped, so
 * portrait phone photos stand upright. The long side is scaled down to {@link Limits#longSide()}.
 */
public final class PhotoProcessor {

    /** The longest alternative text the {@code facility_photo} table holds. */
    public static final int MAX_ALT_TEXT = 400;

    private static final float JPEG_QUALITY = 0.85f;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final Limits limits;

    /**
     * @param limits what is accepted and how large the result is
     */
    public PhotoProcessor(Limits limits) {
        this.limits = Objects.requireNonNull(limits);
    }

    /**
     * Limits on what is accepted and on the output.
     *
     * @param maxBytes  largest upload in bytes, checked before decoding
     * @param maxSide   most pixels on either side of the uploaded image, from its header
     * @param maxPixels most pixels in all (width × height) of the uploaded image
     * @param longSide  the long side of the stored photo is scaled down to at most this
     */
    public record Limits(long maxBytes, int maxSide, long maxPixels, int longSide) {

        /** 5 MiB, 8000 px per side, 40 megapixels, stored at 2000 px on the long side at most. */
        public static final Limits DEFAULT = new Limits(5L * 1024 * 1024, 8000, 40_000_000L, 2000);

        /** Validates. */
        public Limits {
            if (maxBytes <= 0 || maxSide <= 0 || maxPixels <= 0 || longSide <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /** @return the limits in force */
    public Limits limits() {
        return limits;
    }

    /**
     * @param upload       the uploaded bytes
     * @param declaredName the file name the browser sent (not trusted; may be empty)
     * @param declaredType the content type the browser sent (not trusted; may be empty)
     * @return the photo to store
     * @throws Problem about the field {@code photo}, saying what to do, when the upload is refused
     */
    public Photo process(byte[] upload, String declaredName, String declaredType) {
        Objects.requireNonNull(upload, "upload");
        if (upload.length == 0) {
            throw PhotoProblems.empty();
        }
        if (upload.length > limits.maxBytes()) {
            throw PhotoProblems.tooLarge(limits.maxBytes());
        }
        Format format = Format.sniff(upload).orElseThrow(
                () -> refusal(upload, claimsImage(declaredName, declaredType)));
        BufferedImage decoded = decode(upload, format);
        BufferedImage upright = orient(fit(decoded), format == Format.JPEG ? orientation(upload) : 1);
        boolean transparent = hasTransparency(upright);
        return transparent
                ? new Photo(encode(upright, "png"), Photo.PNG, upright.getWidth(), upright.getHeight())
                : new Photo(encode(opaque(upright), "jpeg"), Photo.JPEG, upright.getWidth(), upright.getHeight());
    }

    /**
     * The alternative text (代替テキスト) every photo must have, for people who cannot see it.
     *
     * @param raw as typed
     * @return on one line, trimmed
     * @throws Problem about the field {@code alt} when it is blank or too long
     */
    public static String altText(String raw) {
        String text = Objects.requireNonNull(raw, "raw").replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        if (text.isEmpty() || text.length() > MAX_ALT_TEXT) {
            throw PhotoProblems.altText(MAX_ALT_TEXT);
        }
        return text;
    }

    /** The formats accepted, by their magic bytes. */
    enum Format {
        JPEG("jpeg"), PNG("png"), WEBP("webp");

        private final String imageIoName;

        Format(String imageIoName) {
            this.imageIoName = imageIoName;
        }

        static Optional<Format> sniff(byte[] b) {
            // JPEG: SOI then the first marker (ITU T.81 B.1.1.3); PNG: its 8-byte signature (PNG spec 5.2);
            // WebP: a RIFF container of form type "WEBP" (RFC 9649 section 2.5).
            if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
                return Optional.of(JPEG);
            }
            if (startsWith(b, 0, PNG_SIGNATURE)) {
                return Optional.of(PNG);
            }
            if (startsWith(b, 0, ascii("RIFF")) && startsWith(b, 8, ascii("WEBP"))) {
                return Optional.of(WEBP);
            }
            return Optional.empty();
        }
    }

    /** Names what a refused file really is, where that is easy to tell, so the person knows what happened. */
    private static Problem refusal(byte[] b, boolean namedAsImage) {
        String head = new String(b, 0, Math.min(b.length, 1024), StandardCharsets.ISO_8859_1)
                .stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("\u00ef\u00bb\u00bf")) { // a UTF-8 byte order mark, read as Latin-1
            head = head.substring(3).stripLeading();
        }
        if (head.startsWith("%pdf-")) {
            return PhotoProblems.notAccepted("a PDF document", " PDF 文書", namedAsImage);
        }
        if (head.startsWith("<")) {
            if (head.contains("<svg")) {
                return PhotoProblems.notAccepted("an SVG drawing", " SVG（図形データ）", namedAsImage);
            }
            return PhotoProblems.notAccepted("an HTML or XML document", " HTML・XML 文書", namedAsImage);
        }
        if (head.startsWith("gif8")) {
            return PhotoProblems.notAccepted("a GIF image", " GIF 画像", namedAsImage);
        }
        if (startsWith(b, 4, ascii("ftyp"))) { // ISO base media file (HEIF, AVIF, MP4)
            String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.ISO_8859_1) : "";
            if (List.of("heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "avif", "avis").contains(brand)) {
                return PhotoProblems.heic();
            }
            return PhotoProblems.notAccepted("a video or other media file", "動画などのメディアファイル", namedAsImage);
        }
        if (head.startsWith("bm")) {
            return PhotoProblems.notAccepted("a BMP image", " BMP 画像", namedAsImage);
        }
        if (head.startsWith("ii*\u0000") || head.startsWith("mm\u0000*")) {
            return PhotoProblems.notAccepted("a TIFF image", " TIFF 画像", namedAsImage);
        }
        if (head.startsWith("pk\u0003\u0004")) {
            return PhotoProblems.notAccepted("a ZIP archive or an Office document", " ZIP または Office 文書",
                    namedAsImage);
        }
        return PhotoProblems.unknownFormat(namedAsImage);
    }

    private static boolean claimsImage(String declaredName, String declaredType) {
        String name = Objects.requireNonNullElse(declaredName, "").toLowerCase(Locale.ROOT);
        String type = Objects.requireNonNullElse(declaredType, "").toLowerCase(Locale.ROOT);
        return type.startsWith("image/")
                || List.of(".jpg", ".jpeg", ".png", ".webp", ".jfif").stream().anyMatch(name::endsWith);
    }

    /**
     * Reads the dimensions from the header, refuses a bomb, then decodes the pixels, with the reader of
     * the sniffed format only (never one chosen by ImageIO from the content) and metadata ignored.
     */
    private BufferedImage decode(byte[] upload, Format format) {
        ImageReader reader = reader(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(upload))) {
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw PhotoProblems.unreadable();
            }
            if (width <= 0 || height <= 0) {
                throw PhotoProblems.unreadable();
            }
            if (width > limits.maxSide() || height > limits.maxSide() || (long) width * height > limits.maxPixels()) {
                throw PhotoProblems.tooManyPixels(width, height, limits.maxSide(), limits.maxPixels());
            }
            // libjpeg reports a truncated file as a warning and fills the rest grey: treat it as damage.
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            ImageReadParam param = reader.getDefaultReadParam();
            // Far larger than what is kept: decode every n-th pixel, still at least twice the output size.
            int step = Math.max(1, Math.max(width, height) / (2 * limits.longSide()));
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage image;
            try {
                image = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                throw PhotoProblems.unreadable();
            }
            if (!warnings.isEmpty() || image == null) {
                throw PhotoProblems.unreadable();
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // closing a stream in memory
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader reader(Format format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
        if (!readers.hasNext()) {
            throw new IllegalStateException("No ImageIO reader for " + format + " (is imageio-webp on the class path?)");
        }
        return readers.next();
    }

    /** Scales the long side down to the limit, in halving steps so that detail is averaged, not dropped. */
    private BufferedImage fit(BufferedImage source) {
        boolean alpha = source.getColorModel().hasAlpha();
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        int width = source.getWidth();
        int height = source.getHeight();
        double scale = Math.min(1.0, (double) limits.longSide() / Math.max(width, height));
        int targetWidth = Math.max(1, (int) Math.round(width * scale));
        int targetHeight = Math.max(1, (int) Math.round(height * scale));
        // The first step also converts any decoded layout (grey, 16-bit, indexed, CMYK-free YCbCr) to plain RGB(A).
        BufferedImage current = source;
        do {
            width = Math.max(targetWidth, width / 2);
            height = Math.max(targetHeight, height / 2);
            current = draw(current, width, height, type);
        } while (width != targetWidth || height != targetHeight);
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, int type) {
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            if (type == BufferedImage.TYPE_INT_RGB) {
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, width, height);
            }
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /**
     * The EXIF orientation (TIFF tag 274, values 1–8) of a JPEG, or 1 when there is none or it cannot be
     * read: a damaged EXIF block must not refuse an otherwise good photo.
     */
    private static int orientation(byte[] jpeg) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (exif.isEmpty()) {
                return 1;
            }
            InputStream data = exif.getFirst().data();
            data.read(); // the pad byte after "Exif\0"
            try (ImageInputStream tiff = new MemoryCacheImageInputStream(data)) {
                Directory directory = new TIFFReader().read(tiff);
                Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
                if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                    return n.intValue();
                }
                return 1;
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /** Applies an EXIF orientation (TIFF 6.0, tag 274): the pixels are turned so that 1 holds. */
    private static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation == 1) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage target = new BufferedImage(swap ? h : w, swap ? w : h, image.getType());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                switch (orientation) {
                    case 2 -> target.setRGB(w - 1 - x, y, rgb);
                    case 3 -> target.setRGB(w - 1 - x, h - 1 - y, rgb);
                    case 4 -> target.setRGB(x, h - 1 - y, rgb);
                    case 5 -> target.setRGB(y, x, rgb);
                    case 6 -> target.setRGB(h - 1 - y, x, rgb);
                    case 7 -> target.setRGB(h - 1 - y, w - 1 - x, rgb);
                    default -> target.setRGB(y, w - 1 - x, rgb); // 8
                }
            }
        }
        return target;
    }

    private static boolean hasTransparency(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return false;
        }
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) >>> 24 != 0xff) {
                    return true;
                }
            }
        }
        return false;
    }

    private static BufferedImage opaque(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_INT_RGB
                ? image : draw(image, image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    }

    /** Encodes pixels only: no metadata is passed to the writer, so none is written but JFIF's or PNG's own header. */
    private static byte[] encode(BufferedImage image, String format) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if ("jpeg".equals(format)) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
        if (b.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
