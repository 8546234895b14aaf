package jp.kominkan.cloud.group;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A group in a list: what a booking form offers ("book for 山吹コーラス") and what a resident's list shows.
 *
 * @param id           the group
 * @param name         its name
 * @param categoryCode its category
 * @param status       its status
 * @param validUntil   the last day of its approval, if approved
 */
public record GroupSummary(long id, String name, String categoryCode, GroupStatus status,
                           Optional<LocalDate> validUntil) {

    /** Checks the parts. */
    public GroupSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(categoryCode, "categoryCode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(validUntil, "validUntil");
    }
}
