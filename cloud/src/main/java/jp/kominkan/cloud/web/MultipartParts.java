package jp.kominkan.cloud.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;

/**
 * What every multipart upload (photos, group evidence, 減免 evidence) needs from a body: read it within a bound,
 * read a part, and turn a browser's raw UTF-8 header text back into the characters it sent.
 */
public final class MultipartParts {

    private MultipartParts() {
    }

    /**
     * @param in    the body
     * @param limit the most bytes allowed
     * @return the bytes, or nothing when there were more than {@code limit}
     * @throws IOException when reading fails
     */
    public static Optional<byte[]> readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > limit) {
                return Optional.empty();
            }
            out.write(buffer, 0, n);
        }
        return Optional.of(out.toByteArray());
    }

    /**
     * @param part a part of a body already read into memory
     * @return its bytes
     * @throws MessagingException when the part is malformed
     */
    public static byte[] readAll(BodyPart part) throws MessagingException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the part is in memory
        }
    }

    /**
     * Browsers send a file name as raw UTF-8 inside the header (RFC 7578 section 4.2); the MIME parser reads header
     * bytes as ISO-8859-1, so turn them back into the characters sent.
     *
     * @param latin1 the header value as parsed
     * @return the text the browser sent
     */
    public static String utf8(String latin1) {
        if (latin1.chars().anyMatch(c -> c > 0xff)) {
            return latin1; // already decoded (RFC 2231 filename*)
        }
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
