package jp.kominkan.cloud.receipt;

/**
 * Who took the money (取扱者), so a question about a receipt can be traced: a clerk at the counter, or the
 * payment provider's reference for an online or convenience-store payment.
 */
public sealed interface HandledBy permits HandledBy.Clerk, HandledBy.Provider {

    /** @return the caption printed before {@link #value()} */
    String caption();

    /** @return what is printed */
    String value();

    /**
     * A counter clerk (窓口取扱者).
     *
     * @param name the clerk's name or staff number, as the municipality wants it printed
     */
    record Clerk(String name) implements HandledBy {
        /** Checks the name is present. */
        public Clerk {
            Texts.requireText(name, "name");
        }

        @Override
        public String caption() {
            return "取扱者";
        }

        @Override
        public String value() {
            return name;
        }
    }

    /**
     * A payment provider's reference (決済番号), e.g. a PaymentIntent id.
     *
     * @param reference the provider's id for the payment or refund
     */
    record Provider(String reference) implements HandledBy {
        /** Checks the reference is present. */
        public Provider {
            Texts.requireText(reference, "reference");
        }

        @Override
        public String caption() {
            return "決済番号";
        }

        @Override
        public String value() {
            return reference;
        }
    }
}
