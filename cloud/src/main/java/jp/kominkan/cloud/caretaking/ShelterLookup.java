package jp.kominkan.cloud.caretaking;

import java.util.Optional;
import java.util.UUID;

/**
 * Finds the shelter or emergency code (避難所) a grant belongs to, so that its use raises an alarm.
 */
@FunctionalInterface
public interface ShelterLookup {

    /** Knows no shelter codes. */
    ShelterLookup NONE = grantId -> Optional.empty();

    /**
     * @param grantId a grant that opened a door
     * @return the shelter code's use, when the grant is one's
     */
    Optional<Use> useOf(UUID grantId);

    /**
     * @param shelterCodeId the shelter code
     * @param holder        who holds it (自主防災組織, 消防団 …)
     */
    record Use(UUID shelterCodeId, String holder) {
    }
}
