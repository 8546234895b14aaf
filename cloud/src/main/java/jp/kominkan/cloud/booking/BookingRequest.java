package jp.kominkan.cloud.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import jp.kominkan.shared.slot.SlotRange;

/**
 * What a resident asks for when booking.
 *
 * @param roomId    the room
 * @param range     the slots
 * @param purpose   what the room is used for
 * @param attendees how many people come
 * @param fee       what else decides the fee: admission charged, commercial use, equipment
 */
public record BookingRequest(long roomId, SlotRange range, String purpose, int attendees, FeeOptions fee) {

    /** Checks the fields are present. */
    public BookingRequest {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(fee, "fee");
    }

    /**
     * A request with nothing that changes the fee beyond room, time and who books.
     *
     * @param roomId    the room
     * @param range     the slots
     * @param purpose   what for
     * @param attendees how many
     */
    public BookingRequest(long roomId, SlotRange range, String purpose, int attendees) {
        this(roomId, range, purpose, attendees, FeeOptions.NONE);
    }

    /**
     * What a booking says about its use that the ordinance prices (使用料の加算・附属設備).
     *
     * @param admissionYen    the highest admission charged (入場料), 0 when none
     * @param commercial      for profit (営利目的)
     * @param mainlyNonResidents the audience is mainly people from outside the town (町外者を主たる対象)
     * @param equipment       equipment code → how many
     * @param groupId         booked for this group (団体)
     * @param reductionCode   the 減免 applied for
     * @param reductionReason why, in the applicant's words
     */
    public record FeeOptions(long admissionYen, boolean commercial, boolean mainlyNonResidents,
                             Map<String, Integer> equipment, Optional<Long> groupId, Optional<String> reductionCode,
                             String reductionReason) {

        /** Nothing beyond the room's base fee. */
        public static final FeeOptions NONE = new FeeOptions(0, false, false, Map.of(), Optional.empty(),
                Optional.empty(), "");

        /** Checks the fields. */
        public FeeOptions {
            Objects.requireNonNull(equipment, "equipment");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(reductionCode, "reductionCode");
            Objects.requireNonNull(reductionReason, "reductionReason");
            if (admissionYen < 0) {
                throw new IllegalArgumentException("admission cannot be negative");
            }
            equipment = Map.copyOf(new TreeMap<>(equipment));
        }

        String canonical() {
            return admissionYen + "|" + commercial + "|" + mainlyNonResidents + "|" + new TreeMap<>(equipment)
                    + "|" + groupId.map(String::valueOf).orElse("") + "|" + reductionCode.orElse("") + "|"
                    + reductionReason;
        }
    }

    /**
     * A fingerprint of the request, to tell a retry (same key, same request) from a different
     * request that reuses a key.
     *
     * @return SHA-256, hex
     */
    public String fingerprint() {
        String canonical = roomId + "\n" + range.start().getEpochSecond() + "\n" + range.end().getEpochSecond()
                + "\n" + attendees + "\n" + purpose + (fee.equals(FeeOptions.NONE) ? "" : "\n" + fee.canonical());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
