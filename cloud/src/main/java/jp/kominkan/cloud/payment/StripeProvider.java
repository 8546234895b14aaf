package jp.kominkan.cloud.payment;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;

/**
 * The online provider over Stripe's published HTTP protocol, through the official stripe-java client: the
 * only class that imports {@code com.stripe}. The API base is configurable, so the demo and the tests
 * talk to the local payment sandbox, and production to Stripe.
 */
public final class StripeProvider implements OnlineProvider {

    /** Stripe's tolerance for a webhook's timestamp (docs.stripe.com/webhooks/signature). */
    static final long TOLERANCE_SECONDS = Webhook.DEFAULT_TOLERANCE;
    /** A header dated further ahead than this is refused too: stripe-java checks only the past side. */
    static final long FUTURE_SKEW_SECONDS = 300;
    private static final int MAX_PAYLOAD = 256 * 1024;

    private final StripeClient client;
    private final Settings settings;
    private final Clock clock;

    /**
     * Where the provider is and how we prove who we are.
     *
     * @param apiBase       e.g. https://api.stripe.com, or the sandbox's http://127.0.0.1:8090
     * @param apiKey        the secret API key
     * @param webhookSecret the endpoint's signing secret (whsec_…)
     * @param pageBase      where the provider's hosted card page lives (the sandbox's address in the demo)
     */
    public record Settings(String apiBase, String apiKey, String webhookSecret, String pageBase) {
        /** Checks the fields; never prints the secrets. */
        public Settings {
            Objects.requireNonNull(apiBase, "apiBase");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(webhookSecret, "webhookSecret");
            Objects.requireNonNull(pageBase, "pageBase");
            if (apiKey.isBlank() || webhookSecret.isBlank()) {
                throw new IllegalArgumentException("payment.stripe: the API key and the webhook secret must be set");
            }
        }

        @Override
        public String toString() {
            return "Settings[apiBase=" + apiBase + ", pageBase=" + pageBase + "]";
        }
    }

    /**
     * @param settings where and who
     * @param clock    the clock webhooks' timestamps are checked against
     */
    public StripeProvider(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = StripeClient.builder().setApiKey(settings.apiKey()).setApiBase(settings.apiBase())
                .setConnectTimeout(5_000).setReadTimeout(20_000).setMaxNetworkRetries(2).build();
    }

    @Override
    public Intent createCard(String reservationRef, long amount, String description, String idempotencyKey) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder().setAmount(amount).setCurrency("jpy")
                .addPaymentMethodType("card").setDescription(description).putMetadata("reservation", reservationRef)
                .build();
        return call(() -> intent(client.v1().paymentIntents().create(params, keyed(idempotencyKey))));
    }

    @Override
    public Intent createKonbini(String reservationRef, long amount, String description, String payerName,
                                String payerEmail, Instant expiresAt, String idempotencyKey) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder().setAmount(amount).setCurrency("jpy")
                .addPaymentMethodType("konbini").setDescription(description).putMetadata("reservation", reservationRef)
                .setPaymentMethodData(PaymentIntentCreateParams.PaymentMethodData.builder()
                        .setType(PaymentIntentCreateParams.PaymentMethodData.Type.KONBINI)
                        .setBillingDetails(PaymentIntentCreateParams.PaymentMethodData.BillingDetails.builder()
                                .setName(payerName).setEmail(payerEmail).build())
                        .build())
                .setPaymentMethodOptions(PaymentIntentCreateParams.PaymentMethodOptions.builder()
                        .setKonbini(PaymentIntentCreateParams.PaymentMethodOptions.Konbini.builder()
                                .setExpiresAt(expiresAt.getEpochSecond())
                                .setProductDescription(description.length() > 22 ? description.substring(0, 22) : description)
                                .build())
                        .build())
                .setConfirm(true).build();
        return call(() -> intent(client.v1().paymentIntents().create(params, keyed(idempotencyKey))));
    }

    @Override
    public Intent retrieve(String intentId) {
        return call(() -> intent(client.v1().paymentIntents().retrieve(intentId)));
    }

    @Override
    public Intent cancel(String intentId) {
        try {
            return intent(client.v1().paymentIntents().cancel(intentId));
        } catch (StripeException e) {
            // Paid (or already given up) meanwhile: what the provider has now decides.
            return retrieve(intentId);
        }
    }

    @Override
    public ProviderRefund refund(String intentId, long amount, String idempotencyKey) {
        RefundCreateParams params = RefundCreateParams.builder().setPaymentIntent(intentId).setAmount(amount)
                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER).build();
        return call(() -> {
            com.stripe.model.Refund r = client.v1().refunds().create(params, keyed(idempotencyKey));
            return new ProviderRefund(r.getId(), r.getStatus(), r.getAmount(), Optional.ofNullable(r.getPaymentIntent()));
        });
    }

    @Override
    public ProviderRefund retrieveRefund(String refundId) {
        return call(() -> {
            com.stripe.model.Refund r = client.v1().refunds().retrieve(refundId);
            return new ProviderRefund(r.getId(), r.getStatus(), r.getAmount(), Optional.ofNullable(r.getPaymentIntent()));
        });
    }

    @Override
    public WebhookEvent verify(String payload, String signature) {
        if (payload.length() > MAX_PAYLOAD) {
            throw new WebhookRefused("body too large");
        }
        if (signature == null || signature.isBlank() || signature.length() > 2_000) {
            throw new WebhookRefused("no or oversized Stripe-Signature header");
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, settings.webhookSecret(), TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException e) {
            throw new WebhookRefused("signature: " + e.getMessage());
        } catch (RuntimeException e) {
            // t=abc throws NumberFormatException; a body that is not JSON throws from Gson.
            throw new WebhookRefused("malformed signature header or body: " + e.getClass().getSimpleName());
        }
        long signedAt = timestamp(signature);
        if (signedAt > clock.instant().getEpochSecond() + FUTURE_SKEW_SECONDS) {
            throw new WebhookRefused("timestamp in the future");
        }
        JsonObject object = dataObject(event);
        String id = string(object, "id");
        String kind = string(object, "object");
        if (event.getId() == null || event.getType() == null || id.isEmpty() || kind.isEmpty()) {
            throw new WebhookRefused("event without id, type or object");
        }
        return new WebhookEvent(event.getId(), event.getType(), id, kind);
    }

    @Override
    public String cardPage(Intent intent, String returnUrl) {
        return settings.pageBase() + "/pay/" + enc(intent.id()) + "?client_secret="
                + enc(intent.clientSecret().orElse("")) + "&return_url=" + enc(returnUrl);
    }

    @Override
    public String pageOrigin() {
        java.net.URI page = java.net.URI.create(settings.pageBase());
        return page.getScheme() + "://" + page.getHost() + (page.getPort() < 0 ? "" : ":" + page.getPort());
    }

    private static JsonObject dataObject(Event event) {
        try {
            JsonElement raw = JsonParser.parseString(event.getDataObjectDeserializer().getRawJson());
            return raw.isJsonObject() ? raw.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            throw new WebhookRefused("event data is not an object");
        }
    }

    private static String string(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }

    private static long timestamp(String header) {
        for (String part : header.split(",")) {
            String item = part.strip();
            if (item.startsWith("t=")) {
                try {
                    return Long.parseLong(item.substring(2));
                } catch (NumberFormatException e) {
                    throw new WebhookRefused("malformed timestamp");
                }
            }
        }
        throw new WebhookRefused("no timestamp");
    }

    private static RequestOptions keyed(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    private static Intent intent(PaymentIntent pi) {
        Optional<Voucher> voucher = Optional.empty();
        if (pi.getNextAction() != null && pi.getNextAction().getKonbiniDisplayDetails() != null) {
            var details = pi.getNextAction().getKonbiniDisplayDetails();
            List<StoreCode> stores = new ArrayList<>();
            var s = details.getStores();
            if (s != null) {
                if (s.getFamilymart() != null) {
                    stores.add(new StoreCode("ファミリーマート", s.getFamilymart().getPaymentCode(),
                            Optional.ofNullable(s.getFamilymart().getConfirmationNumber())));
                }
                if (s.getLawson() != null) {
                    stores.add(new StoreCode("ローソン", s.getLawson().getPaymentCode(),
                            Optional.ofNullable(s.getLawson().getConfirmationNumber())));
                }
                if (s.getMinistop() != null) {
                    stores.add(new StoreCode("ミニストップ", s.getMinistop().getPaymentCode(),
                            Optional.ofNullable(s.getMinistop().getConfirmationNumber())));
                }
                if (s.getSeicomart() != null) {
                    stores.add(new StoreCode("セイコーマート", s.getSeicomart().getPaymentCode(),
                            Optional.ofNullable(s.getSeicomart().getConfirmationNumber())));
                }
            }
            voucher = Optional.of(new Voucher(Instant.ofEpochSecond(details.getExpiresAt() == null ? 0 : details.getExpiresAt()),
                    Optional.ofNullable(details.getHostedVoucherUrl()), List.copyOf(stores)));
        }
        return new Intent(pi.getId(), Objects.requireNonNullElse(pi.getStatus(), "unknown"),
                Objects.requireNonNullElse(pi.getAmount(), 0L), Objects.requireNonNullElse(pi.getAmountReceived(), 0L),
                Optional.ofNullable(pi.getMetadata()).map(m -> m.get("reservation")),
                Optional.ofNullable(pi.getClientSecret()), voucher);
    }

    private interface Call<T> {
        T run() throws StripeException;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (CardException e) {
            throw new ProviderFailure("declined: " + e.getCode() + "/" + e.getDeclineCode(), true);
        } catch (StripeException e) {
            throw new ProviderFailure("provider error " + e.getStatusCode() + " " + e.getCode()
                    + " (request " + e.getRequestId() + ")", false);
        } catch (RuntimeException e) {
            throw new ProviderFailure("provider unreachable: " + e.getClass().getSimpleName(), false);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
