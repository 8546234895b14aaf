package jp.kominkan.cloud.payment;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The online payment provider as the cloud needs it, in its own words: create a payment, read it back,
 * refund it, verify a webhook. {@link StripeProvider} speaks Stripe's protocol through stripe-java; the
 * demo points it at the payment sandbox.
 */
public interface OnlineProvider {

    /**
     * Starts a card payment; the resident enters the card on the provider's page, never on ours.
     *
     * @param reservationRef our reservation id, kept in the provider's metadata
     * @param amount         yen
     * @param description    what it is for (shown to the resident)
     * @param idempotencyKey our key: a retry after a crash creates nothing new
     * @return the provider's payment
     */
    Intent createCard(String reservationRef, long amount, String description, String idempotencyKey);

    /**
     * Starts a convenience-store payment (コンビニ決済): a voucher the resident pays at the store by the deadline.
     *
     * @param reservationRef our reservation id
     * @param amount         yen
     * @param description    up to 22 characters shown at the store
     * @param payerName      the name on the voucher
     * @param payerEmail     where the provider sends the voucher
     * @param expiresAt      the voucher's deadline (the reservation's payment deadline)
     * @param idempotencyKey our key
     * @return the provider's payment, awaiting the store
     */
    Intent createKonbini(String reservationRef, long amount, String description, String payerName, String payerEmail,
                         Instant expiresAt, String idempotencyKey);

    /**
     * @param intentId the provider's id
     * @return the payment as the provider has it now
     */
    Intent retrieve(String intentId);

    /**
     * Gives up a payment that has not been made (a superseded voucher or card page).
     *
     * @param intentId the provider's payment
     * @return it as the provider has it afterwards (succeeded when it was paid in the meantime)
     */
    Intent cancel(String intentId);

    /**
     * @param intentId       the provider's payment
     * @param amount         yen to give back
     * @param idempotencyKey our key
     * @return the provider's refund
     */
    ProviderRefund refund(String intentId, long amount, String idempotencyKey);

    /**
     * @param refundId the provider's refund
     * @return it now
     */
    ProviderRefund retrieveRefund(String refundId);

    /**
     * Checks a webhook's signature over the raw body before anything is parsed.
     *
     * @param payload   the body exactly as received
     * @param signature the signature header
     * @return the event
     * @throws WebhookRefused when the signature, its time or the body is wrong
     */
    WebhookEvent verify(String payload, String signature);

    /**
     * The provider's page where the resident enters a card (Stripe.js stands in for it in production).
     *
     * @param intent    the payment
     * @param returnUrl where the provider sends the resident back
     * @return the address
     */
    String cardPage(Intent intent, String returnUrl);

    /** @return the origin of the provider's pages (scheme, host and port), which our forms may redirect to */
    String pageOrigin();

    /**
     * A payment at the provider.
     *
     * @param id           its id (pi_…)
     * @param status       the provider's status word (succeeded, requires_action, canceled, …)
     * @param amount       yen asked
     * @param received     yen received
     * @param reservation  our reservation id from its metadata
     * @param clientSecret what the provider's page needs
     * @param voucher      a konbini voucher, while it waits for the store
     */
    record Intent(String id, String status, long amount, long received, Optional<String> reservation,
                  Optional<String> clientSecret, Optional<Voucher> voucher) {

        /** Checks the fields. */
        public Intent {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reservation, "reservation");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(voucher, "voucher");
        }

        /** @return true when the money was received */
        public boolean succeeded() {
            return "succeeded".equals(status);
        }

        /** @return true when the payment was given up (a voucher that expired, a cancelled intent) */
        public boolean canceled() {
            return "canceled".equals(status);
        }
    }

    /**
     * What the resident takes to the store.
     *
     * @param expiresAt when it lapses
     * @param url       the provider's voucher page
     * @param stores    per chain: the payment code and confirmation number
     */
    record Voucher(Instant expiresAt, Optional<String> url, List<StoreCode> stores) {
    }

    /**
     * @param store              the chain (ファミリーマート, ローソン, ミニストップ, セイコーマート)
     * @param paymentCode        お客様番号 / 受付番号
     * @param confirmationNumber 確認番号
     */
    record StoreCode(String store, String paymentCode, Optional<String> confirmationNumber) {
    }

    /**
     * A refund at the provider.
     *
     * @param id            its id (re_…)
     * @param status        succeeded, pending or failed
     * @param amount        yen
     * @param paymentIntent the payment it gives back from
     */
    record ProviderRefund(String id, String status, long amount, Optional<String> paymentIntent) {
    }

    /**
     * A verified webhook event; only its id and what it is about are used, the object is read back from
     * the provider (the event's copy is never trusted for money).
     *
     * @param id       the event id (evt_…)
     * @param type     e.g. payment_intent.succeeded
     * @param objectId the PaymentIntent or refund it is about
     * @param object   the object kind (payment_intent, refund, charge)
     */
    record WebhookEvent(String id, String type, String objectId, String object) {
    }

    /** A webhook that must not be acted on. */
    final class WebhookRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param why what was wrong (safe to log: no secret, no body)
         */
        public WebhookRefused(String why) {
            super(why);
        }
    }

    /** The provider answered with an error or could not be reached. */
    final class ProviderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final boolean declined;

        /**
         * @param why      what happened (safe to log)
         * @param declined true when the customer's payment was refused (a declined card), not a failure of ours
         */
        public ProviderFailure(String why, boolean declined) {
            super(why);
            this.declined = declined;
        }

        /** @return true for a refused payment */
        public boolean declined() {
            return declined;
        }
    }
}
