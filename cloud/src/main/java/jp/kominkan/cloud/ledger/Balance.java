package jp.kominkan.cloud.ledger;

/**
 * What is due on a reservation and what was paid for it, from its ledger entries.
 *
 * @param due  Σ charges − Σ reductions − Σ cancellations, yen
 * @param paid Σ payments − Σ refunds, yen
 */
public record Balance(long due, long paid) {

    /** Nothing due, nothing paid. */
    public static final Balance ZERO = new Balance(0, 0);

    /** @return what is still to be paid (negative: to be given back) */
    public long owed() {
        return due - paid;
    }

    /** @return true when nothing is owed either way */
    public boolean settled() {
        return due == paid;
    }

    /**
     * @param kind   one more entry's kind
     * @param amount its amount
     * @return the balance with it
     */
    public Balance with(LedgerEntry.Kind kind, long amount) {
        return new Balance(due + kind.dueSign() * amount, paid + kind.paidSign() * amount);
    }
}
