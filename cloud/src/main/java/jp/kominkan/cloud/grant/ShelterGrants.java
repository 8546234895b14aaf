package jp.kominkan.cloud.grant;

import java.util.List;
import java.util.Objects;

import jp.kominkan.shared.grant.BookingCode;

/**
 * The grants of one shelter code (避難所), one per door of its facility, prepared (code drawn, grants signed)
 * before the transaction that records the code writes them. Unlike a booking's {@link GrantBatch} it has no
 * sealed copy of the code: a shelter code is shown once to the administrator who issues it and kept nowhere.
 *
 * @param code   the code, shown once and never stored
 * @param grants one per door
 * @param doors  the doors, in the order of {@code grants}
 */
public record ShelterGrants(BookingCode code, List<GrantBatch.Issued> grants, List<Door> doors) {

    /** Checks the fields and copies the lists. */
    public ShelterGrants {
        Objects.requireNonNull(code, "code");
        grants = List.copyOf(grants);
        doors = List.copyOf(doors);
    }
}
