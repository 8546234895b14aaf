package jp.kominkan.cloud.support;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/**
 * Reads back a QR code the pages drew as SVG ({@code page.QrCodes}): the modules are painted into
 * pixels and ZXing's reader decodes them, as a camera at the door would, so a test checks what the
 * code holds rather than how it was drawn.
 */
public final class QrSvg {

    private static final Pattern SIZE = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern MODULE = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z");
    private static final int SCALE = 4;
    /** The quiet zone {@code QrCodes} draws, in modules. */
    private static final int MARGIN = 4;

    private QrSvg() {
    }

    /**
     * @param svg an SVG element as {@code QrCodes.svg} writes it
     * @return what the QR code holds, and how
     */
    public static Reading decode(String svg) {
        Matcher size = SIZE.matcher(svg);
        if (!size.find()) {
            throw new AssertionError("no viewBox in " + svg.substring(0, Math.min(80, svg.length())));
        }
        int modules = Integer.parseInt(size.group(1));
        int width = modules * SCALE;
        int[] pixels = new int[width * width];
        java.util.Arrays.fill(pixels, 0xffffffff);
        Matcher module = MODULE.matcher(svg);
        int dark = 0;
        while (module.find()) {
            int x = Integer.parseInt(module.group(1));
            int y = Integer.parseInt(module.group(2));
            for (int dy = 0; dy < SCALE; dy++) {
                for (int dx = 0; dx < SCALE; dx++) {
                    pixels[(y * SCALE + dy) * width + x * SCALE + dx] = 0xff000000;
                }
            }
            dark++;
        }
        if (dark == 0) {
            throw new AssertionError("no modules in the SVG");
        }
        try {
            Result result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                    new RGBLuminanceSource(width, width, pixels))), Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE,
                    DecodeHintType.POSSIBLE_FORMATS, java.util.List.of(BarcodeFormat.QR_CODE)));
            return new Reading(result.getText(),
                    String.valueOf(result.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL)),
                    (modules - 2 * MARGIN - 17) / 4);
        } catch (ReaderException e) {
            throw new AssertionError("ZXing cannot read the QR code", e);
        }
    }

    /**
     * A QR code read back.
     *
     * @param text            what it holds
     * @param errorCorrection its error correction level, L, M, Q or H
     * @param version         its version (size), 1 to 40
     */
    public record Reading(String text, String errorCorrection, int version) {
    }
}
