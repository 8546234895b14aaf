package jp.kominkan.shared.grant;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Permission for one booking code to open one door for a while (入室許可): what the cloud signs and
 * a gateway — or a lock's firmware — checks on its own, offline.
 *
 * <p>It carries a keyed verifier of the booking code, never the code: see {@link CodeVerifier}.
 *
 * @param grantId          unique id of this grant
 * @param municipalityCode the municipality (全国地方公共団体コード) it belongs to
 * @param doorId           the door it opens
 * @param reservationId    the booking it comes from
 * @param validFrom        first instant the door may open (booking start minus a margin)
 * @param validUntil       instant from which it no longer opens (booking end plus a margin)
 * @param codeVerifier     keyed verifier of the booking code
 * @param issuedAt         when the cloud issued it
 * @param keyId            the id of the cloud key that signs it
 */
public record AccessGrant(UUID grantId, String municipalityCode, String doorId, UUID reservationId,
                          Instant validFrom, Instant validUntil, CodeVerifier codeVerifier, Instant issuedAt,
                          String keyId) {

    /** Longest id or code accepted for a door or a municipality, to bound what a lock must store. */
    public static final int MAX_ID_LENGTH = 64;

    /** Checks every field is present, whole seconds, and the window is not empty. */
    public AccessGrant {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        requireId(municipalityCode, "municipalityCode");
        requireId(doorId, "doorId");
        requireId(keyId, "keyId");
        requireSeconds(validFrom, "validFrom");
        requireSeconds(validUntil, "validUntil");
        requireSeconds(issuedAt, "issuedAt");
        if (!validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("validUntil " + validUntil + " is not after validFrom " + validFrom);
        }
    }

    /**
     * @param now an instant
     * @return whether the grant opens its door at that instant
     */
    public boolean isValidAt(Instant now) {
        return !now.isBefore(validFrom) && now.isBefore(validUntil);
    }

    private static void requireId(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(name + " must be 1 to " + MAX_ID_LENGTH + " characters");
        }
    }

    private static void requireSeconds(Instant instant, String name) {
        Objects.requireNonNull(instant, name);
        if (instant.getNano() != 0 || instant.getEpochSecond() < 0) {
            throw new IllegalArgumentException(name + " must be whole seconds after 1970: " + instant);
        }
    }
}
