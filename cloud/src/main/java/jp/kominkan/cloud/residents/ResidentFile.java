package jp.kominkan.cloud.residents;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jp.kominkan.cloud.account.Profile;
import jp.kominkan.cloud.account.VerificationStatus;

/**
 * What staff see of one resident (利用者台帳): the profile's contact fields, where the verification
 * stands, whether the account was made at the counter or is suspended, the staff's notes, and the
 * bookings in the member's facilities.
 *
 * @param profile          the resident's profile (residency already the effective one)
 * @param verification     whether verified, and whether that has expired
 * @param walkIn           made at the counter: a name and a phone, no login
 * @param createdAt        when the account was made
 * @param suspendedAt      when staff suspended it, if they did
 * @param suspensionReason why
 * @param notes            staff notes, newest first
 * @param bookings         bookings in the reader's facilities, latest start first
 */
public record ResidentFile(Profile profile, VerificationStatus verification, boolean walkIn, Instant createdAt,
                           Optional<Instant> suspendedAt, Optional<String> suspensionReason, List<ResidentNote> notes,
                           List<ResidentBooking> bookings) {

    /** Checks the fields are present. */
    public ResidentFile {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(suspendedAt, "suspendedAt");
        Objects.requireNonNull(suspensionReason, "suspensionReason");
        notes = List.copyOf(notes);
        bookings = List.copyOf(bookings);
    }

    /** @return whether the account is suspended */
    public boolean suspended() {
        return suspendedAt.isPresent();
    }

    /**
     * @param now now
     * @return the bookings still to come that hold slots, soonest first: what to decide on after a suspension
     */
    public List<ResidentBooking> upcoming(Instant now) {
        return bookings.stream().filter(b -> b.upcomingAt(now))
                .sorted(java.util.Comparator.comparing(b -> b.range().start())).toList();
    }
}
