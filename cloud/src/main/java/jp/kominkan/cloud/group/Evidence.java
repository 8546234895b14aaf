package jp.kominkan.cloud.group;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A file sent with a group's registration (添付書類: 規約, 名簿, 活動計画): PDF, JPEG or PNG, its type
 * judged from its first bytes ({@link #sniff}), never from its name or the type the browser declared.
 *
 * @param id         the file's id
 * @param fileName   the name it was sent with (shown, never trusted)
 * @param mediaType  the sniffed type
 * @param size       bytes
 * @param uploadedAt when
 */
public record Evidence(UUID id, String fileName, String mediaType, int size, Instant uploadedAt) {

    /** Checks the parts. */
    public Evidence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
    }

    /**
     * The file's type from its magic bytes: {@code %PDF-} (ISO 32000-2 section 7.5.2), JPEG's SOI marker
     * {@code FF D8 FF}, PNG's eight-byte signature (ISO 15948 section 5.2).
     *
     * @param bytes the file
     * @return its media type, if it is one accepted
     */
    public static Optional<String> sniff(byte[] bytes) {
        if (starts(bytes, new int[] {'%', 'P', 'D', 'F', '-'})) {
            return Optional.of("application/pdf");
        }
        if (starts(bytes, new int[] {0xFF, 0xD8, 0xFF})) {
            return Optional.of("image/jpeg");
        }
        if (starts(bytes, new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
            return Optional.of("image/png");
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] bytes, int[] magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
