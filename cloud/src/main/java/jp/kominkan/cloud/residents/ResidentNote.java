package jp.kominkan.cloud.residents;

import java.time.Instant;
import java.util.Objects;

/**
 * A note staff keep about a resident (利用者メモ), never shown to the resident.
 *
 * @param id        the note
 * @param note      what was written
 * @param staffName who wrote it
 * @param staffRole their role's wire name
 * @param createdAt when
 */
public record ResidentNote(long id, String note, String staffName, String staffRole, Instant createdAt) {

    /** Checks the fields are present. */
    public ResidentNote {
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(staffName, "staffName");
        Objects.requireNonNull(staffRole, "staffRole");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
