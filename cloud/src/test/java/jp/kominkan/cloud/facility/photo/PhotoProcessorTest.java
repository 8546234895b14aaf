package jp.kominkan.cloud.facility.photo;

import static jp.kominkan.cloud.facility.photo.TestImages.contains;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.imageio.stream.MemoryCacheImageInputStream;

import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import jp.kominkan.cloud.web.Problem;
import org.junit.jupiter.api.Test;

/** Staff photos are recognised by content, bounded before decoding, and published without a trace of their metadata. */
class PhotoProcessorTest {

    private final PhotoProcessor processor = new PhotoProcessor(PhotoProcessor.Limits.DEFAULT);

    @Test
    void aJpegLosesItsExifAndGpsPositionAndStillDecodes() throws Exception {
        byte[] upload = TestImages.withExif(TestImages.encode(TestImages.halves(40, 20), "jpeg"), TestImages.exif(1));
        assertThat(contains(upload, TestImages.GPS_LATITUDE)).as("the fixture carries GPS").isTrue();
        assertThat(app1Segments(upload)).as("the fixture has an APP1 segment").isNotEmpty();

        Photo photo = processor.process(upload, "IMG_0001.JPG", "image/jpeg");

        assertThat(photo.mediaType()).isEqualTo(Photo.JPEG);
        assertThat(contains(photo.bytes(), "Exif")).isFalse();
        assertThat(contains(photo.bytes(), TestImages.GPS_LATITUDE)).isFalse();
        assertThat(app1Segments(photo.bytes())).isEmpty();
        BufferedImage decoded = TestImages.decode(photo.bytes());
        assertThat(decoded.getWidth()).isEqualTo(40).isEqualTo(photo.width());
        assertThat(decoded.getHeight()).isEqualTo(20).isEqualTo(photo.height());
    }

    @Test
    void theExifOrientationIsAppliedBeforeItIsDropped() {
        // 6: the camera was turned a quarter clockwise; the stored pixels must be turned to stand upright.
        byte[] upload = TestImages.withExif(TestImages.encode(TestImages.halves(40, 20), "jpeg"), TestImages.exif(6));

        Photo photo = processor.process(upload, "portrait.jpg", "image/jpeg");

        assertThat(photo.width()).isEqualTo(20);
        assertThat(photo.height()).isEqualTo(40);
        BufferedImage decoded = TestImages.decode(photo.bytes());
        // Turned clockwise, the red left half is on top and the blue right half below.
        assertThat(isReddish(decoded.getRGB(10, 5))).isTrue();
        assertThat(isBluish(decoded.getRGB(10, 35))).isTrue();
    }

    @Test
    void aTransparentPngStaysPngAndLosesItsTextChunk() {
        byte[] upload = TestImages.withChunk(TestImages.encode(TestImages.transparentWithSquare(32, 32), "png"), "tEXt",
                "Comment\0taken at 35.6895N 139.6917E".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(contains(upload, "tEXt")).as("the fixture carries a text chunk").isTrue();
        assertThat(TestImages.decode(upload).getWidth()).as("the fixture is a valid PNG").isEqualTo(32);

        Photo photo = processor.process(upload, "plan.png", "image/png");

        assertThat(photo.mediaType()).isEqualTo(Photo.PNG);
        assertThat(contains(photo.bytes(), "tEXt")).isFalse();
        assertThat(contains(photo.bytes(), "35.6895")).isFalse();
        BufferedImage decoded = TestImages.decode(photo.bytes());
        assertThat(decoded.getRGB(0, 0) >>> 24).as("the corner stays transparent").isZero();
        assertThat(decoded.getRGB(16, 16)).isEqualTo(Color.GREEN.getRGB());
    }

    @Test
    void anOpaquePngBecomesAJpegWithoutItsTextChunk() {
        byte[] upload = TestImages.withChunk(TestImages.encode(TestImages.halves(30, 10), "png"), "iTXt",
                "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>secret</x:xmpmeta>".getBytes(StandardCharsets.ISO_8859_1));

        Photo photo = processor.process(upload, "hall.png", "image/png");

        assertThat(photo.mediaType()).isEqualTo(Photo.JPEG);
        assertThat(contains(photo.bytes(), "xmpmeta")).isFalse();
        assertThat(TestImages.decode(photo.bytes()).getWidth()).isEqualTo(30);
    }

    @Test
    void aLossyWebpIsDecodedAndStoredAsJpeg() {
        Photo photo = processor.process(TestImages.resource("gradient-64x48-lossy.webp"), "hall.webp", "image/webp");

        assertThat(photo.mediaType()).isEqualTo(Photo.JPEG);
        assertThat(photo.width()).isEqualTo(64);
        assertThat(photo.height()).isEqualTo(48);
        // The source is red = 4x, green = 5y, blue = 128: check the colours survived the round trip.
        int pixel = TestImages.decode(photo.bytes()).getRGB(40, 30);
        assertThat((pixel >> 16) & 0xff).isBetween(160 - 24, 160 + 24);
        assertThat((pixel >> 8) & 0xff).isBetween(150 - 24, 150 + 24);
        assertThat(pixel & 0xff).isBetween(128 - 24, 128 + 24);
    }

    @Test
    void aLosslessWebpIsDecodedToo() {
        Photo photo = processor.process(TestImages.resource("gradient-64x48-lossless.webp"), "x.webp", "");

        assertThat(TestImages.decode(photo.bytes()).getHeight()).isEqualTo(48);
    }

    @Test
    void theLongSideIsScaledDownToTheLimit() {
        Photo photo = processor.process(TestImages.encode(TestImages.halves(3000, 1500), "jpeg"), "big.jpg", "");

        assertThat(photo.width()).isEqualTo(2000);
        assertThat(photo.height()).isEqualTo(1000);
        BufferedImage decoded = TestImages.decode(photo.bytes());
        assertThat(decoded.getWidth()).isEqualTo(2000);
        assertThat(isReddish(decoded.getRGB(10, 500))).isTrue();
        assertThat(isBluish(decoded.getRGB(1990, 500))).isTrue();
    }

    @Test
    void theFormatIsTakenFromTheContentNotTheName() {
        Photo photo = processor.process(TestImages.encode(TestImages.halves(8, 8), "png"), "photo.pdf", "application/pdf");

        assertThat(photo.width()).isEqualTo(8);
    }

    @Test
    void aPdfRenamedToJpgIsRefusedAsAPdf() {
        Problem problem = refused("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".getBytes(StandardCharsets.US_ASCII),
                "menu.jpg", "image/jpeg");

        assertThat(problem.english()).contains("PDF").contains("renaming");
        assertThat(problem.japanese()).contains("PDF").contains("ファイル名を変えても");
    }

    @Test
    void anHtmlFileRenamedToJpgIsRefusedAsHtml() {
        Problem problem = refused("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
                .getBytes(StandardCharsets.UTF_8), "cat.jpg", "image/jpeg");

        assertThat(problem.english()).contains("HTML");
    }

    @Test
    void anSvgIsRefused() {
        Problem problem = refused(("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
                + "<script>alert(1)</script></svg>").getBytes(StandardCharsets.UTF_8), "logo.svg", "image/svg+xml");

        assertThat(problem.english()).contains("SVG");
    }

    @Test
    void aHeicPhotoIsRefusedWithHowToExportIt() {
        byte[] heic = new byte[64];
        System.arraycopy("\0\0\0\u0018ftypheic".getBytes(StandardCharsets.ISO_8859_1), 0, heic, 0, 12);

        Problem problem = refused(heic, "IMG_0002.HEIC", "image/heic");

        assertThat(problem.english()).contains("HEIC").contains("JPEG");
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThat(refused(new byte[0], "empty.jpg", "image/jpeg").english()).contains("empty");
    }

    @Test
    void aTruncatedJpegIsRefusedAsDamaged() {
        byte[] jpeg = TestImages.encode(noise(300, 200), "jpeg");

        Problem problem = refused(TestImages.truncated(jpeg, 0.5), "cut.jpg", "image/jpeg");

        assertThat(problem.english()).contains("damaged");
    }

    @Test
    void aTruncatedPngIsRefusedAsDamaged() {
        byte[] png = TestImages.encode(noise(100, 100), "png");

        assertThat(refused(TestImages.truncated(png, 0.5), "cut.png", "image/png").english()).contains("damaged");
    }

    @Test
    void aTruncatedWebpIsRefusedAsDamaged() {
        byte[] webp = TestImages.resource("gradient-64x48-lossy.webp");

        assertThat(refused(TestImages.truncated(webp, 0.6), "cut.webp", "image/webp").english()).contains("damaged");
    }

    @Test
    void aHeaderThatClaimsOneByOneHundredThousandPixelsIsRefusedBeforeDecoding() {
        Problem problem = refused(TestImages.pngHeaderOnly(1, 100_000), "bomb.png", "image/png");

        assertThat(problem.english()).contains("1 × 100000 pixels").contains("8000");
    }

    @Test
    void aJpegThatClaimsThreeGigapixelsIsRefusedBeforeDecoding() {
        byte[] bomb = TestImages.withFrameSize(TestImages.encode(TestImages.halves(16, 16), "jpeg"), 60_000, 60_000);

        Problem problem = refused(bomb, "bomb.jpg", "image/jpeg");

        assertThat(problem.english()).contains("60000 × 60000 pixels");
    }

    @Test
    void tooManyPixelsWithinTheSideLimitIsRefused() {
        PhotoProcessor small = new PhotoProcessor(new PhotoProcessor.Limits(5L << 20, 8000, 1_000_000, 2000));

        Problem problem = catchThrowableOfType(Problem.class,
                () -> small.process(TestImages.encode(TestImages.halves(1200, 1000), "png"), "a.png", ""));

        assertThat(problem.field()).contains("photo");
        assertThat(problem.english()).contains("1200 × 1000");
    }

    @Test
    void anUploadOverTheLimitIsRefusedBeforeItIsLookedAt() {
        byte[] large = new byte[5 * 1024 * 1024 + 1];
        large[0] = (byte) 0xff;
        large[1] = (byte) 0xd8;
        large[2] = (byte) 0xff; // a JPEG by its magic, and garbage after it: only the size may be judged

        Problem problem = refused(large, "huge.jpg", "image/jpeg");

        assertThat(problem.english()).contains("larger than 5 MB");
        assertThat(problem.japanese()).contains("5 MB");
    }

    @Test
    void theUploadLimitIsConfigurable() {
        PhotoProcessor small = new PhotoProcessor(new PhotoProcessor.Limits(500 * 1024, 8000, 40_000_000, 2000));
        byte[] png = TestImages.encode(noise(1000, 1000), "png");
        assertThat(png.length).as("the fixture is over 500 KB").isGreaterThan(500 * 1024);

        Problem problem = catchThrowableOfType(Problem.class, () -> small.process(png, "a.png", ""));

        assertThat(problem.field()).contains("photo");
        assertThat(problem.english()).contains("500 KB");
    }

    @Test
    void theAltTextIsRequiredAndBounded() {
        assertThat(PhotoProcessor.altText("  和室の\n全景  ")).isEqualTo("和室の 全景");
        for (String bad : List.of("", "   \n ", "あ".repeat(PhotoProcessor.MAX_ALT_TEXT + 1))) {
            Problem problem = catchThrowableOfType(Problem.class, () -> PhotoProcessor.altText(bad));
            assertThat(problem).as("refused: [%s]", bad).isNotNull();
            assertThat(problem.field()).contains("alt");
        }
    }

    private Problem refused(byte[] upload, String name, String type) {
        Problem problem = catchThrowableOfType(Problem.class, () -> processor.process(upload, name, type));
        assertThat(problem).as("a Problem for " + name).isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).contains("photo");
        assertThat(problem.japanese()).isNotBlank();
        return problem;
    }

    private static List<JPEGSegment> app1Segments(byte[] jpeg) throws Exception {
        try (var in = new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(jpeg))) {
            return JPEGSegmentUtil.readSegments(in, JPEGSegmentUtil.ALL_SEGMENTS).stream()
                    .filter(segment -> segment.marker() == JPEG.APP1)
                    .toList();
        }
    }

    private static BufferedImage noise(int width, int height) {
        java.util.Random random = new java.util.Random(42);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static boolean isReddish(int rgb) {
        return ((rgb >> 16) & 0xff) > 200 && (rgb & 0xff) < 60;
    }

    private static boolean isBluish(int rgb) {
        return (rgb & 0xff) > 200 && ((rgb >> 16) & 0xff) < 60;
    }
}
