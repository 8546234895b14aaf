package jp.kominkan.cloud.receipt;

/** How a fee was paid (支払方法), with the words a receipt prints for it. */
public enum PaymentMethod {
    /** Cash at the counter (現金). */
    CASH("現金"),
    /** Credit card, online or at the counter (クレジットカード). */
    CARD("クレジットカード"),
    /** At a convenience store with a payment slip number (コンビニ払い). */
    KONBINI("コンビニ");

    private final String label;

    PaymentMethod(String label) {
        this.label = label;
    }

    /** @return the Japanese label printed on receipts and in the daily takings */
    public String label() {
        return label;
    }
}
