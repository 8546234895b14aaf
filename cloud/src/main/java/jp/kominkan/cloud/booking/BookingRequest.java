package jp.kominkan.cloud.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import jp.kominkan.shared.slot.SlotRange;

/**
 * What a resident asks for when booking.
 *
 * @param roomId    the room
 * @param range     the slots
 * @param purpose   what the room is used for
 * @param attendees how many people come
 */
public record BookingRequest(long roomId, SlotRange range, String purpose, int attendees) {

    /** Checks the fields are present. */
    public BookingRequest {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(purpose, "purpose");
    }

    /**
     * A fingerprint of the request, to tell a retry (same key, same request) from a different
     * request that reuses a key.
     *
     * @return SHA-256, hex
     */
    public String fingerprint() {
        String canonical = roomId + "\n" + range.start().getEpochSecond() + "\n" + range.end().getEpochSecond()
                + "\n" + attendees + "\n" + purpose;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
