package jp.kominkan.cloud.lottery;

/**
 * The limits the draw keeps (当選数の上限): wins per verified person and per group across the round. An
 * application wins at most once (its wishes are alternatives for one use).
 *
 * @param winsPerApplicant most wins of one person
 * @param winsPerGroup     most wins of one group
 * @param substitutes      how long each unit's substitute list (補欠) is
 */
public record Caps(int winsPerApplicant, int winsPerGroup, int substitutes) {

    /** Checks the limits. */
    public Caps {
        if (winsPerApplicant < 1 || winsPerApplicant > 100 || winsPerGroup < 1 || winsPerGroup > 100) {
            throw new IllegalArgumentException("wins per applicant and per group are 1 to 100");
        }
        if (substitutes < 0 || substitutes > 50) {
            throw new IllegalArgumentException("substitutes per unit are 0 to 50");
        }
    }
}
