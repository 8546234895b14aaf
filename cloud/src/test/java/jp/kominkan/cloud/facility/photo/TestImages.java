package jp.kominkan.cloud.facility.photo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/**
 * Real images for the photo tests, made with ImageIO, and the metadata a phone or an editor puts in
 * them, spliced in by the byte layouts of the specifications (JPEG APP1 "Exif", TIFF 6.0 IFDs, PNG
 * chunks), so that the tests control exactly what must disappear.
 */
final class TestImages {

    /** GPS latitude 35° 41' 22.71" as three TIFF RATIONALs: bytes that must never be published. */
    static final byte[] GPS_LATITUDE = ByteBuffer.allocate(24)
            .putInt(35).putInt(1).putInt(41).putInt(1).putInt(2271).putInt(100).array();

    private TestImages() {
    }

    /** Left half red, right half blue, so that a rotation can be seen. */
    static BufferedImage halves(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    /** Transparent except a green square in the middle. */
    static BufferedImage transparentWithSquare(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("not an image ImageIO reads");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A big-endian TIFF structure as EXIF holds it: IFD0 with the orientation and a pointer to a GPS IFD
     * holding GPSLatitudeRef "N" and {@link #GPS_LATITUDE}.
     */
    static byte[] exif(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(8 + 30 + 30 + 24);
        b.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
        // IFD0 at 8: two entries, then the next-IFD offset 0
        b.putShort((short) 2);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        b.putInt(0);
        // GPS IFD at 38
        b.putShort((short) 2);
        b.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        b.putShort((short) 2).putShort((short) 5).putInt(3).putInt(68);
        b.putInt(0);
        // the rationals at 68
        b.put(GPS_LATITUDE);
        return b.array();
    }

    /** The JPEG with an APP1 "Exif\0\0" segment right after its SOI marker (as cameras write it). */
    static byte[] withExif(byte[] jpeg, byte[] tiff) {
        byte[] id = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + id.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xff);
        out.write(0xe1);
        out.write(length >> 8);
        out.write(length & 0xff);
        out.writeBytes(id);
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The PNG with a chunk inserted right after IHDR (which is 8 + 25 bytes into the file). */
    static byte[] withChunk(byte[] png, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.writeBytes(chunk(type, data));
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** A PNG chunk: length, type, data, CRC-32 of type and data (PNG spec 5.3). */
    static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** Only a PNG header that claims {@code width × height} RGB pixels, and an empty IDAT: a bomb's fuse. */
    static byte[] pngHeaderOnly(int width, int height) {
        byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeBytes(chunk("IHDR", ihdr));
        out.writeBytes(chunk("IDAT", new byte[0]));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** The JPEG with the size in its SOF0 frame header (ITU T.81 B.2.2) changed, its pixels unchanged. */
    static byte[] withFrameSize(byte[] jpeg, int width, int height) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i + 9 < copy.length; i++) {
            if ((copy[i] & 0xff) == 0xff && (copy[i + 1] & 0xff) == 0xc0) {
                copy[i + 5] = (byte) (height >> 8);
                copy[i + 6] = (byte) height;
                copy[i + 7] = (byte) (width >> 8);
                copy[i + 8] = (byte) width;
                return copy;
            }
        }
        throw new IllegalStateException("no SOF0 in this JPEG");
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static boolean contains(byte[] haystack, String ascii) {
        return contains(haystack, ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] truncated(byte[] bytes, double fraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
    }
}
