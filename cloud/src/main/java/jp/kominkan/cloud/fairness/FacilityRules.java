package jp.kominkan.cloud.fairness;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A facility's fair booking rules: its booking window, when it has one, and its quotas.
 *
 * @param window the booking window; empty keeps each room's own booking horizon for everyone
 * @param quotas the quotas (ids are 0 in a draft)
 */
public record FacilityRules(Optional<BookingWindow> window, List<Quota> quotas) {

    /** Most quotas per facility. */
    public static final int MAX_QUOTAS = 20;

    /** Checks the fields. */
    public FacilityRules {
        Objects.requireNonNull(window, "window");
        quotas = List.copyOf(quotas);
    }
}
