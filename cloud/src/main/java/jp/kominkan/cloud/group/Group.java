package jp.kominkan.cloud.group;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A group (団体) as registered: who represents it, its category and where its review stands. The roster
 * and the evidence are in {@link GroupFile}.
 *
 * @param id               the group's id
 * @param municipalityId   the municipality
 * @param name             the group's name
 * @param nameKana         its reading
 * @param categoryCode     its {@link Category}
 * @param representativeId the representative's account (代表者)
 * @param status           where its review stands
 * @param validUntil       the last day of its approval, once approved (kept while a renewal is reviewed)
 * @param reviewNote       what staff wrote with their decision
 * @param reviewedBy       who decided
 * @param submittedAt      when it was last sent for review
 * @param createdAt        when it was created
 */
public record Group(long id, long municipalityId, String name, String nameKana, String categoryCode,
                    UUID representativeId, GroupStatus status, Optional<LocalDate> validUntil,
                    Optional<String> reviewNote, Optional<UUID> reviewedBy, Optional<Instant> submittedAt,
                    Instant createdAt) {

    /** Checks the parts are present. */
    public Group {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nameKana, "nameKana");
        Objects.requireNonNull(categoryCode, "categoryCode");
        Objects.requireNonNull(representativeId, "representativeId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(reviewNote, "reviewNote");
        Objects.requireNonNull(reviewedBy, "reviewedBy");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @param today today in the municipality
     * @return whether the group counts as approved today: approved, or a renewal under review, and the
     *         approval not yet past its last day
     */
    public boolean approvedOn(LocalDate today) {
        return (status == GroupStatus.APPROVED || status == GroupStatus.PENDING)
                && validUntil.map(until -> !until.isBefore(today)).orElse(false);
    }

    /**
     * @param today       today
     * @param windowDays  how many days before the last day renewal opens
     * @return whether the representative may send it for renewal now
     */
    public boolean renewableOn(LocalDate today, int windowDays) {
        return status == GroupStatus.EXPIRED
                || (status == GroupStatus.APPROVED && validUntil.map(u -> !today.isBefore(u.minusDays(windowDays)))
                .orElse(false));
    }
}
