package jp.kominkan.cloud.shelter;

import java.util.Objects;
import java.util.UUID;

/**
 * What a door event's grant says about a shelter code (避難所コード) when the grant is one: enough for the event
 * pipeline to raise the {@code shelter-code-used} alarm and log the use, and nothing of the code.
 *
 * @param shelterCodeId  the shelter code
 * @param facilityId     its facility
 * @param municipalityId its municipality
 * @param holder         who holds it
 */
public record ShelterUse(UUID shelterCodeId, long facilityId, long municipalityId, String holder) {

    /** Checks the fields are present. */
    public ShelterUse {
        Objects.requireNonNull(shelterCodeId, "shelterCodeId");
        Objects.requireNonNull(holder, "holder");
    }
}
