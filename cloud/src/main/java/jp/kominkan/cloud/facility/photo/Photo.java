package jp.kominkan.cloud.facility.photo;

import java.util.Objects;

/**
 * A facility photo as it is stored and served: pixels re-encoded by {@link PhotoProcessor}, so it
 * carries no metadata from the upload (no EXIF, no GPS position, no XMP, no text chunks).
 *
 * <p>The array is not copied, to spare a megabyte per photo: nothing changes it after it is made.
 *
 * @param bytes     the encoded image
 * @param mediaType {@code image/jpeg} or {@code image/png}
 * @param width     pixels
 * @param height    pixels
 */
public record Photo(byte[] bytes, String mediaType, int width, int height) {

    /** JPEG, for photographs. */
    public static final String JPEG = "image/jpeg";
    /** PNG, kept for images with transparency. */
    public static final String PNG = "image/png";

    /** Validates. */
    public Photo {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty photo");
        }
        if (!JPEG.equals(mediaType) && !PNG.equals(mediaType)) {
            throw new IllegalArgumentException("media type " + mediaType);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size " + width + "x" + height);
        }
    }
}
