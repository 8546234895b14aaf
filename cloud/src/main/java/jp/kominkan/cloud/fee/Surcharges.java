package jp.kominkan.cloud.fee;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Surcharges (加算) by purpose or residency, and how several combine. ときがわ町 備考(4)(5): each
 * applicable rate times the table fee, added up ({@link Combine#SUM_RATES}: 27,000 + 13,500 +
 * 13,500 = 54,000); other towns multiply in order ({@link Combine#COMPOUND}, 妙高市's 市外 rate).
 * A 市外 rate that is a surcharge rather than a separate price is a surcharge whose condition is
 * {@code non-resident-applicant}.
 *
 * @param combine how the rates combine
 * @param items   the surcharges, in order
 */
public record Surcharges(Combine combine, List<Surcharge> items) {

    /** No surcharges. */
    public static final Surcharges NONE = new Surcharges(Combine.SUM_RATES, List.of());

    /** Validates. */
    public Surcharges {
        Objects.requireNonNull(combine);
        items = List.copyOf(items);
    }

    /** How several surcharges combine. */
    public enum Combine {
        /** Each rate × the table fee, added (備考(5) of ときがわ町). */
        SUM_RATES("sum-rates"),
        /** Multiplied in order: each rate × (the table fee plus the surcharges before it). */
        COMPOUND("compound");

        private final String wire;

        Combine(String wire) {
            this.wire = wire;
        }

        /** @return the name in the document */
        public String wire() {
            return wire;
        }
    }

    /**
     * One surcharge.
     *
     * @param code     code
     * @param labelJa  Japanese label
     * @param labelEn  English label
     * @param when     when it applies; every condition present must hold
     * @param permille the rate in permille (500 = 50 %)
     */
    public record Surcharge(String code, String labelJa, String labelEn, Condition when, int permille) {

        /** Validates. */
        public Surcharge {
            Objects.requireNonNull(when);
            if (code.isBlank() || labelJa.isBlank() || labelEn.isBlank() || permille < 0 || permille > 100_000) {
                throw new IllegalArgumentException("a surcharge needs a code, labels and a rate of 0–10000 %");
            }
        }
    }

    /**
     * When a surcharge applies: all the conditions given hold (none given: always).
     *
     * @param admissionYen              the highest admission fee (入場料等) is in this range
     * @param commercial                the use is, or is not, commercial (営利目的)
     * @param mainlyNonResidentAudience the use mainly targets people from outside
     * @param nonResidentApplicant      the applicant is, or is not, a non-resident (市外)
     */
    public record Condition(Optional<YenRange> admissionYen, Optional<Boolean> commercial,
                            Optional<Boolean> mainlyNonResidentAudience, Optional<Boolean> nonResidentApplicant) {

        /** Validates. */
        public Condition {
            Objects.requireNonNull(admissionYen);
            Objects.requireNonNull(commercial);
            Objects.requireNonNull(mainlyNonResidentAudience);
            Objects.requireNonNull(nonResidentApplicant);
        }

        /**
         * @param request a request
         * @return whether it meets every condition
         */
        public boolean holds(FeeRequest request) {
            FeeRequest.Purpose p = request.purpose();
            return admissionYen.map(r -> r.contains(p.admissionYen())).orElse(true)
                    && commercial.map(c -> c == p.commercial()).orElse(true)
                    && mainlyNonResidentAudience.map(m -> m == p.mainlyNonResidentAudience()).orElse(true)
                    && nonResidentApplicant.map(n -> n == (request.applicant() == FeeRequest.Residency.NON_RESIDENT))
                    .orElse(true);
        }
    }

    /**
     * Yen from {@code from} (included) to {@code to} (excluded), open-ended when {@code to} is empty.
     *
     * @param from lowest
     * @param to   first yen above the range
     */
    public record YenRange(long from, OptionalLong to) {

        /** Validates. */
        public YenRange {
            Objects.requireNonNull(to);
            if (from < 0 || (to.isPresent() && to.getAsLong() <= from)) {
                throw new IllegalArgumentException("a yen range runs upward from 0");
            }
        }

        /**
         * @param yen an amount
         * @return whether it is in the range
         */
        public boolean contains(long yen) {
            return yen >= from && (to.isEmpty() || yen < to.getAsLong());
        }
    }
}
