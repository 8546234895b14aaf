package jp.kominkan.cloud.fee;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is to be priced: when (local times in the facility's zone, on the 15-minute grid), when it
 * was booked, who applies, for what, with which equipment and which reduction (減免). The caller
 * has already resolved equipment prices and the approved reduction: the schedule prices the room.
 *
 * @param start      first minute, local
 * @param end        end, exclusive, local
 * @param bookedOn   the local date the booking is made (for 直前割引)
 * @param applicant  the applicant's residency
 * @param purpose    the purpose
 * @param equipment  equipment used (附属設備)
 * @param reduction  an approved reduction or exemption
 */
public record FeeRequest(LocalDateTime start, LocalDateTime end, LocalDate bookedOn, Residency applicant,
                         Purpose purpose, List<EquipmentUse> equipment, Optional<Reduction> reduction) {

    /** Longest stretch one quote prices: a week (longer use is quoted per booking). */
    public static final Duration MAX_LENGTH = Duration.ofDays(7);

    /** Validates. */
    public FeeRequest {
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
        Objects.requireNonNull(bookedOn);
        Objects.requireNonNull(applicant);
        Objects.requireNonNull(purpose);
        equipment = List.copyOf(equipment);
        Objects.requireNonNull(reduction);
        if (!end.isAfter(start)) {
            throw new FeeException("empty-range", "終了時刻は開始時刻より後にしてください。", "The end must be after the start.");
        }
        if (start.getMinute() % 15 != 0 || end.getMinute() % 15 != 0 || start.getSecond() != 0
                || end.getSecond() != 0 || start.getNano() != 0 || end.getNano() != 0) {
            throw new FeeException("off-grid", "時刻は 15 分単位で指定してください。", "Times must be on the 15-minute grid.");
        }
        if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
            throw new FeeException("too-long", "料金の計算は 7 日までです。", "A quote covers at most 7 days.");
        }
    }

    /**
     * A plain request: no purpose surcharges, no equipment, no reduction.
     *
     * @param start     first minute, local
     * @param end       end, local
     * @param bookedOn  booking date
     * @param applicant residency
     * @return the request
     */
    public static FeeRequest of(LocalDateTime start, LocalDateTime end, LocalDate bookedOn, Residency applicant) {
        return new FeeRequest(start, end, bookedOn, applicant, Purpose.NONE, List.of(), Optional.empty());
    }

    /** The applicant's residency (市内 / 市外). An unknown or lapsed verification counts as non-resident. */
    public enum Residency {
        /** Lives (or, where the ordinance says so, works) in the municipality. */
        RESIDENT,
        /** Anyone else, and anyone whose residency is not verified. */
        NON_RESIDENT
    }

    /**
     * The purpose, as far as surcharges care.
     *
     * @param admissionYen              the highest admission fee charged (入場料等), 0 when free
     * @param commercial                commercial use (営利目的)
     * @param mainlyNonResidentAudience mainly for people who neither live nor work here
     */
    public record Purpose(long admissionYen, boolean commercial, boolean mainlyNonResidentAudience) {

        /** Free, non-commercial, local. */
        public static final Purpose NONE = new Purpose(0, false, false);

        /** Validates. */
        public Purpose {
            if (admissionYen < 0 || admissionYen > FeeSchedule.MAX_YEN) {
                throw new FeeException("bad-admission", "入場料は 0 円以上で指定してください。", "Admission must be ≥ 0 yen.");
            }
        }
    }

    /** What an equipment price is for. */
    public enum Per {
        /** Once per booking. */
        USE,
        /** Once per band the booking overlaps, per day (a full day counts its bands; hourly use, once a day). */
        BAND
    }

    /**
     * Equipment (附属設備) used, at the price the facility's equipment list gives.
     *
     * @param code code
     * @param name name, in Japanese
     * @param yen  price per use or per band
     * @param per  what the price is for
     * @param qty  how many
     */
    public record EquipmentUse(String code, String name, long yen, Per per, int qty) {

        /** Validates. */
        public EquipmentUse {
            Objects.requireNonNull(code);
            Objects.requireNonNull(name);
            Objects.requireNonNull(per);
            if (code.isBlank() || name.isBlank() || yen < 0 || yen > FeeSchedule.MAX_YEN || qty < 1 || qty > 1000) {
                throw new FeeException("bad-equipment", "附属設備の指定が正しくありません（" + name + "）。",
                        "Equipment needs a code, a name, a price ≥ 0 and a quantity of 1–1000.");
            }
        }
    }

    /**
     * An approved reduction or exemption (減免). Never applied to seasonal items (冷暖房費).
     *
     * @param code               category code
     * @param nameJa             category name, in Japanese
     * @param percent            off, 0–100; 100 = 全額免除
     * @param appliesToEquipment whether equipment fees are reduced too
     * @param notWithAdmission   refused when the use charges admission
     */
    public record Reduction(String code, String nameJa, int percent, boolean appliesToEquipment,
                            boolean notWithAdmission) {

        /** Validates. */
        public Reduction {
            Objects.requireNonNull(code);
            Objects.requireNonNull(nameJa);
            if (code.isBlank() || nameJa.isBlank() || percent < 0 || percent > 100) {
                throw new FeeException("bad-reduction", "減免の指定が正しくありません（率は 0〜100%）。",
                        "A reduction needs a code, a name and a rate of 0–100 %.");
            }
        }
    }
}
