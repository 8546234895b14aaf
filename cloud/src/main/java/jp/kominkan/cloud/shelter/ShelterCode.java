package jp.kominkan.cloud.shelter;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A shelter or emergency code (避難所コード): a facility's master code for a disaster-response group (自主防災組織)
 * or the fire brigade (消防団), issued by an administrator as one signed grant per door of the facility. The record
 * holds everything about it except the code, which is shown once and kept nowhere.
 *
 * @param id             its id, also the grants' reservation field
 * @param municipalityId the municipality
 * @param facilityId     the facility whose doors it opens
 * @param holder         who holds it, e.g. 消防団第3分団
 * @param validFrom      first instant it opens
 * @param validUntil     instant from which it no longer opens
 * @param issuedBy       the administrator who issued it
 * @param issuedAt       when
 * @param revokedAt      when it was revoked, if it was
 */
public record ShelterCode(UUID id, long municipalityId, long facilityId, String holder, Instant validFrom,
                          Instant validUntil, UUID issuedBy, Instant issuedAt, Optional<Instant> revokedAt) {

    /** Checks the fields are present. */
    public ShelterCode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(issuedBy, "issuedBy");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /**
     * @param now an instant
     * @return where it stands then
     */
    public ShelterStatus status(Instant now) {
        return ShelterStatus.of(this, now);
    }
}
