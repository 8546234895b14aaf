package jp.kominkan.cloud.staff;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An invitation to become staff, sent by e-mail as a one-time link.
 *
 * @param tokenHash      SHA-256 of the link's token (the token itself is only in the mail)
 * @param municipalityId the municipality
 * @param email          whom it was sent to
 * @param role           the role offered
 * @param invitedBy      the main administrator who sent it; null when made on the command line
 * @param facilities     for a child administrator: the facilities in scope
 * @param createdAt      when it was sent
 * @param expiresAt      when the link stops working
 * @param acceptedAt     when it was used
 */
public record Invitation(String tokenHash, long municipalityId, String email, StaffRole role, UUID invitedBy,
                         Set<Long> facilities, Instant createdAt, Instant expiresAt, Optional<Instant> acceptedAt) {

    /** Checks the fields are present. */
    public Invitation {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(role, "role");
        facilities = Set.copyOf(facilities);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }
}
