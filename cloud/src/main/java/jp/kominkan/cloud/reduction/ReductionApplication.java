package jp.kominkan.cloud.reduction;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A resident's application for 減免 on one held booking (減免申請), and the staff's decision.
 *
 * @param id             the application
 * @param reservationId  the booking (one application each)
 * @param categoryCode   the category applied for
 * @param groupId        the group the booking is for, if any
 * @param reason         why, in the applicant's words (≤ 400 characters)
 * @param evidence       the attached file's type, size and name, if one was attached
 * @param status         pending, approved or rejected
 * @param decidedBy      the member of staff who decided
 * @param decidedAt      when
 * @param note           the staff's note (required to reject)
 * @param percentApplied the rate granted
 * @param feeBefore      the fee when applied
 * @param feeAfter       the fee as approved
 * @param createdAt      when it was sent
 */
public record ReductionApplication(UUID id, UUID reservationId, String categoryCode, Optional<Long> groupId,
                                   String reason, Optional<EvidenceInfo> evidence, ReductionStatus status,
                                   Optional<UUID> decidedBy, Optional<Instant> decidedAt, Optional<String> note,
                                   Optional<Integer> percentApplied, long feeBefore, Optional<Long> feeAfter,
                                   Instant createdAt) {

    /** Checks the parts. */
    public ReductionApplication {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(categoryCode, "categoryCode");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(percentApplied, "percentApplied");
        Objects.requireNonNull(feeAfter, "feeAfter");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * The attached file, without its bytes.
     *
     * @param mediaType the sniffed type
     * @param size      bytes
     * @param fileName  the name it came with (shown only)
     */
    public record EvidenceInfo(String mediaType, int size, String fileName) {

        /** Checks the parts. */
        public EvidenceInfo {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(fileName, "fileName");
        }
    }
}
