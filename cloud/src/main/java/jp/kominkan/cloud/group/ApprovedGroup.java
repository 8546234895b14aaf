package jp.kominkan.cloud.group;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A group approved today, as the booking and fee reduction (減免) rules use it: its category (and the 減免
 * category that gives), its roster counted, and the last day of its approval. No member names: the
 * rules do not need them.
 *
 * @param id            the group
 * @param name          its name (shown on the booking)
 * @param categoryCode  its category
 * @param reductionCode the 減免 category its category links to, if any
 * @param roster        the roster counted by residency and age band
 * @param validUntil    the last day of its approval
 */
public record ApprovedGroup(long id, String name, String categoryCode, Optional<String> reductionCode,
                            RosterCounts roster, LocalDate validUntil) {

    /** Checks the parts. */
    public ApprovedGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(categoryCode, "categoryCode");
        Objects.requireNonNull(reductionCode, "reductionCode");
        Objects.requireNonNull(roster, "roster");
        Objects.requireNonNull(validUntil, "validUntil");
    }
}
