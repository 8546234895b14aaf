package jp.kominkan.paymentsandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.RefundCreateParams;

/** The sandbox driven by the real stripe-java 29.5.0 client over real sockets, with a real webhook receiver. */
class PaymentSandboxTest {

    private static final String KEY = "sk_test_kominkan_sandbox";
    private static final String SECRET = "whsec_test_secret_for_the_sandbox";

    private Receiver receiver;
    private PaymentSandbox sandbox;
    private StripeClient stripe;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        sandbox = PaymentSandbox.start(PaymentSandbox.Options.defaults().withPort(0)
                .withWebhooks(List.of(receiver.hook()), SECRET).withRetries(Duration.ofMillis(50), 5));
        stripe = client(KEY, 0);
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    private StripeClient client(String key, int retries) {
        return StripeClient.builder().setApiKey(key).setApiBase(sandbox.apiBase()).setMaxNetworkRetries(retries).build();
    }

    private static PaymentIntentCreateParams card(long amount) {
        return PaymentIntentCreateParams.builder().setAmount(amount).setCurrency("jpy").addPaymentMethodType("card")
                .putMetadata("reservation", "R-1").setDescription("大集会室 午前 (2026-12-05)").build();
    }

    private static PaymentIntentCreateParams konbini(long amount, long days) {
        return PaymentIntentCreateParams.builder().setAmount(amount).setCurrency("jpy").addPaymentMethodType("konbini")
                .setConfirm(true)
                .setPaymentMethodData(PaymentIntentCreateParams.PaymentMethodData.builder()
                        .setType(PaymentIntentCreateParams.PaymentMethodData.Type.KONBINI)
                        .setKonbini(PaymentIntentCreateParams.PaymentMethodData.Konbini.builder().build())
                        .setBillingDetails(PaymentIntentCreateParams.PaymentMethodData.BillingDetails.builder()
                                .setName("山田 太郎").setEmail("taro@example.jp").build())
                        .build())
                .setPaymentMethodOptions(PaymentIntentCreateParams.PaymentMethodOptions.builder()
                        .setKonbini(PaymentIntentCreateParams.PaymentMethodOptions.Konbini.builder()
                                .setExpiresAfterDays(days).setProductDescription("公民館 会議室").build())
                        .build())
                .putMetadata("reservation", "R-2").build();
    }

    private PaymentIntent paidByCard(long amount) throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(card(amount));
        return stripe.v1().paymentIntents().confirm(pi.getId(),
                PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build());
    }

    /** @return the next webhook's event, after checking its signature the way the cloud will */
    private Event nextEvent() throws Exception {
        Receiver.Hit hit = receiver.next();
        while (hit.answered() >= 300) {
            hit = receiver.next();
        }
        return Webhook.constructEvent(hit.body(), hit.signature(), SECRET, 300);
    }

    private HttpResponse<String> raw(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.apiBase() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    // ------------------------------------------------------------------ cards

    @Test
    void cardSucceedsAndDeclinesThroughConfirm() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(card(2620));
        assertThat(pi.getId()).startsWith("pi_");
        assertThat(pi.getObject()).isEqualTo("payment_intent");
        assertThat(pi.getStatus()).isEqualTo("requires_payment_method");
        assertThat(pi.getClientSecret()).startsWith(pi.getId() + "_secret_");
        assertThat(pi.getLivemode()).isFalse();
        assertThat(pi.getMetadata()).containsEntry("reservation", "R-1");
        assertThat(pi.getDescription()).isEqualTo("大集会室 午前 (2026-12-05)");

        PaymentIntent paid = stripe.v1().paymentIntents().confirm(pi.getId(),
                PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build());
        assertThat(paid.getStatus()).isEqualTo("succeeded");
        assertThat(paid.getAmountReceived()).isEqualTo(2620L);
        assertThat(paid.getLatestCharge()).startsWith("ch_");
        assertThat(nextEvent().getType()).isEqualTo("payment_intent.succeeded");

        PaymentIntent other = stripe.v1().paymentIntents().create(card(1310));
        assertThatThrownBy(() -> stripe.v1().paymentIntents().confirm(other.getId(),
                PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_chargeDeclinedInsufficientFunds").build()))
                .isInstanceOfSatisfying(CardException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(402);
                    assertThat(e.getCode()).isEqualTo("card_declined");
                    assertThat(e.getDeclineCode()).isEqualTo("insufficient_funds");
                    assertThat(e.getRequestId()).startsWith("req_");
                    assertThat(e.getStripeError().getPaymentIntent().getStatus()).isEqualTo("requires_payment_method");
                });
        PaymentIntent declined = stripe.v1().paymentIntents().retrieve(other.getId());
        assertThat(declined.getStatus()).isEqualTo("requires_payment_method");
        assertThat(declined.getLastPaymentError().getDeclineCode()).isEqualTo("insufficient_funds");
        assertThat(nextEvent().getType()).isEqualTo("payment_intent.payment_failed");

        // The customer tries again with a good card.
        assertThat(stripe.v1().paymentIntents().confirm(other.getId(),
                PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_jcb").build()).getStatus()).isEqualTo("succeeded");
        assertThatThrownBy(() -> stripe.v1().paymentIntents().cancel(other.getId()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state"));
    }

    @Test
    void cancelAndList() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(card(500));
        PaymentIntent canceled = stripe.v1().paymentIntents().cancel(pi.getId());
        assertThat(canceled.getStatus()).isEqualTo("canceled");
        assertThat(canceled.getCanceledAt()).isNotNull();
        Event e = nextEvent();
        assertThat(e.getType()).isEqualTo("payment_intent.canceled");
        assertThat(stripe.v1().paymentIntents().list(PaymentIntentListParams.builder().setLimit(5L).build()).getData())
                .extracting(PaymentIntent::getId).containsExactly(pi.getId());
    }

    // ------------------------------------------------------------------ konbini

    @Test
    void konbiniVoucherThenPaidAtTheStore() throws Exception {
        long before = Instant.now().getEpochSecond();
        PaymentIntent pi = stripe.v1().paymentIntents().create(konbini(2620, 2));
        assertThat(pi.getStatus()).isEqualTo("requires_action");
        assertThat(pi.getNextAction().getType()).isEqualTo("konbini_display_details");
        PaymentIntent.NextAction.KonbiniDisplayDetails details = pi.getNextAction().getKonbiniDisplayDetails();
        ZonedDateTime deadline = Instant.ofEpochSecond(details.getExpiresAt()).atZone(Payments.JST);
        assertThat(deadline.toLocalTime()).isEqualTo(LocalTime.of(23, 59, 59));
        assertThat(deadline.toLocalDate()).isEqualTo(Instant.ofEpochSecond(before).atZone(Payments.JST).toLocalDate().plusDays(2));
        String code = details.getStores().getFamilymart().getPaymentCode();
        assertThat(code).matches("[0-9]{12}");
        assertThat(details.getStores().getLawson().getConfirmationNumber()).matches("[0-9]{11}");
        assertThat(details.getStores().getMinistop()).isNotNull();
        assertThat(details.getStores().getSeicomart()).isNotNull();
        assertThat(details.getHostedVoucherUrl()).isEqualTo(sandbox.apiBase() + "/voucher/" + pi.getId());
        assertThat(pi.getPaymentMethodOptions().getKonbini().getProductDescription()).isEqualTo("公民館 会議室");

        HttpResponse<String> voucher = http.send(HttpRequest.newBuilder(URI.create(details.getHostedVoucherUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(voucher.statusCode()).isEqualTo(200);
        assertThat(voucher.body()).contains(code).contains("23:59 まで").contains("ファミリーマート");

        Event requiresAction = nextEvent();
        assertThat(requiresAction.getType()).isEqualTo("payment_intent.requires_action");

        HttpResponse<String> pay = raw("POST", "/_sandbox/konbini/" + pi.getId() + "/pay", KEY, "store=lawson");
        assertThat(pay.statusCode()).isEqualTo(200);
        PaymentIntent paid = stripe.v1().paymentIntents().retrieve(pi.getId(),
                PaymentIntentRetrieveParams.builder().addExpand("latest_charge").build());
        assertThat(paid.getStatus()).isEqualTo("succeeded");
        assertThat(paid.getNextAction()).isNull();
        assertThat(paid.getLatestChargeObject().getPaymentMethodDetails().getKonbini().getStore().getChain()).isEqualTo("lawson");
        Event succeeded = nextEvent();
        assertThat(succeeded.getType()).isEqualTo("payment_intent.succeeded");
        PaymentIntent fromEvent = (PaymentIntent) succeeded.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(fromEvent.getId()).isEqualTo(pi.getId());
        assertThat(fromEvent.getMetadata()).containsEntry("reservation", "R-2");
    }

    @Test
    void konbiniExpiresWhenTheClockPassesTheDeadline() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(konbini(1050, 1));
        assertThat(nextEvent().getType()).isEqualTo("payment_intent.requires_action");
        HttpResponse<String> advanced = raw("POST", "/_sandbox/clock/advance?seconds=" + 86_400, KEY, "");
        assertThat(advanced.statusCode()).isEqualTo(200);
        assertThat(stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("requires_action");

        raw("POST", "/_sandbox/clock/advance?seconds=" + 2 * 86_400, KEY, "");
        PaymentIntent expired = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertThat(expired.getStatus()).isEqualTo("canceled");
        assertThat(expired.getCancellationReason()).isEqualTo("abandoned");
        Event canceled = nextEvent();
        assertThat(canceled.getType()).isEqualTo("payment_intent.canceled");
        assertThat(canceled.getCreated()).isGreaterThan(Instant.now().getEpochSecond() + 2 * 86_400);
        assertThat(json(raw("GET", "/_sandbox/clock", KEY, null)).get("offset_seconds").getAsLong()).isEqualTo(3 * 86_400);

        HttpResponse<String> late = raw("POST", "/_sandbox/konbini/" + pi.getId() + "/pay", KEY, "");
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(json(late).getAsJsonObject("error").get("code").getAsString()).isEqualTo("payment_intent_unexpected_state");
    }

    // ------------------------------------------------------------------ refunds

    @Test
    void refundsPartialFullAndTooMuch() throws Exception {
        PaymentIntent pi = paidByCard(2620);
        nextEvent();
        Refund first = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId())
                .setAmount(1000L).setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER).build());
        assertThat(first.getStatus()).isEqualTo("succeeded");
        assertThat(first.getAmount()).isEqualTo(1000L);
        assertThat(first.getPaymentIntent()).isEqualTo(pi.getId());
        assertThat(nextEvent().getType()).isEqualTo("refund.created");
        Event refunded = nextEvent();
        assertThat(refunded.getType()).isEqualTo("charge.refunded");
        com.stripe.model.Charge charge = (com.stripe.model.Charge) refunded.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(charge.getAmountRefunded()).isEqualTo(1000L);
        assertThat(charge.getRefunded()).isFalse();

        assertThatThrownBy(() -> stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId())
                .setAmount(2000L).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getCode()).isEqualTo("amount_too_large");
                    assertThat(e.getParam()).isEqualTo("amount");
                });
        Refund rest = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId()).build());
        assertThat(rest.getAmount()).isEqualTo(1620L);
        assertThat(stripe.v1().refunds().retrieve(rest.getId()).getStatus()).isEqualTo("succeeded");

        PaymentIntent after = stripe.v1().paymentIntents().retrieve(pi.getId(),
                PaymentIntentRetrieveParams.builder().addExpand("latest_charge").build());
        assertThat(after.getAmountReceived()).isEqualTo(2620L);
        assertThat(after.getLatestChargeObject().getAmountRefunded()).isEqualTo(2620L);
        assertThat(after.getLatestChargeObject().getRefunded()).isTrue();
        assertThatThrownBy(() -> stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId())
                .setAmount(1L).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("charge_already_refunded"));

        PaymentIntent unpaid = stripe.v1().paymentIntents().create(card(800));
        assertThatThrownBy(() -> stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(unpaid.getId()).build()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void konbiniRefundStaysPendingUntilTheBankTransfer() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(konbini(3000, 3));
        raw("POST", "/_sandbox/konbini/" + pi.getId() + "/pay", KEY, "");
        Refund refund = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId())
                .setAmount(1500L).build());
        assertThat(refund.getStatus()).isEqualTo("pending");
        HttpResponse<String> done = raw("POST", "/_sandbox/refunds/" + refund.getId() + "/complete", KEY, "");
        assertThat(json(done).get("status").getAsString()).isEqualTo("succeeded");
        assertThat(stripe.v1().refunds().retrieve(refund.getId()).getStatus()).isEqualTo("succeeded");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            types.add(nextEvent().getType());
        }
        assertThat(types).containsExactly("payment_intent.requires_action", "payment_intent.succeeded", "refund.created",
                "charge.refunded", "refund.updated");
        assertThat(raw("POST", "/_sandbox/refunds/" + refund.getId() + "/complete", KEY, "").statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void idempotentReplayForcedRetryAndKeyReuse() throws Exception {
        RequestOptions key = RequestOptions.builder().setIdempotencyKey("reservation/R-1/charge/1").build();
        PaymentIntent a = stripe.v1().paymentIntents().create(card(2620), key);
        PaymentIntent b = stripe.v1().paymentIntents().create(card(2620), key);
        assertThat(b.getId()).isEqualTo(a.getId());
        assertThat(b.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(a.getLastResponse().headers().firstValue("Idempotent-Replayed")).isEmpty();

        assertThatThrownBy(() -> stripe.v1().paymentIntents().create(card(9999), key))
                .isInstanceOfSatisfying(IdempotencyException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));

        // The sandbox runs the request, then "loses" the answer (503): stripe-java retries with the same generated
        // key and gets the stored answer, so only one intent exists.
        assertThat(raw("POST", "/_sandbox/faults?status=503&count=1&when=after", KEY, "").statusCode()).isEqualTo(200);
        PaymentIntent retried = client(KEY, 2).v1().paymentIntents().create(card(1234));
        assertThat(retried.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        // A failure before running: retried and run once.
        raw("POST", "/_sandbox/faults?status=503&count=1", KEY, "");
        PaymentIntent once = client(KEY, 2).v1().paymentIntents().create(card(4321));
        assertThat(stripe.v1().paymentIntents().list(PaymentIntentListParams.builder().setLimit(100L).build()).getData())
                .extracting(PaymentIntent::getAmount).containsExactlyInAnyOrder(2620L, 1234L, 4321L);
        assertThat(once.getStatus()).isEqualTo("requires_payment_method");

        // A request refused in validation keeps nothing: the corrected retry with the same key runs.
        RequestOptions other = RequestOptions.builder().setIdempotencyKey("validation-first").build();
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(sandbox.apiBase() + "/v1/payment_intents"))
                .header("Authorization", "Bearer " + KEY).header("Idempotency-Key", "validation-first")
                .POST(HttpRequest.BodyPublishers.ofString("currency=jpy")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(stripe.v1().paymentIntents().create(card(700), other).getAmount()).isEqualTo(700L);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void wrongApiKeyIsRefused() throws Exception {
        assertThatThrownBy(() -> client("sk_test_wrong_key_1234", 0).v1().paymentIntents().create(card(1000)))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
        HttpResponse<String> none = raw("GET", "/v1/payment_intents", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).getAsJsonObject("error").get("type").getAsString()).isEqualTo("invalid_request_error");
        assertThat(none.headers().firstValue("Request-Id")).isPresent();
        assertThat(raw("POST", "/_sandbox/clock/advance?seconds=1", "sk_test_nope", "").statusCode()).isEqualTo(401);
    }

    @Test
    void malformedOversizedAndUnknownRequests() throws Exception {
        HttpResponse<String> big = raw("POST", "/v1/payment_intents", KEY, "description=" + "x".repeat(70 * 1024));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json(big).getAsJsonObject("error").get("code").getAsString()).isEqualTo("request_too_large");

        JsonObject escape = json(raw("POST", "/v1/payment_intents", KEY, "amount=%zz&currency=jpy")).getAsJsonObject("error");
        assertThat(escape.get("type").getAsString()).isEqualTo("invalid_request_error");

        JsonObject notInt = json(raw("POST", "/v1/payment_intents", KEY, "amount=12.5&currency=jpy")).getAsJsonObject("error");
        assertThat(notInt.get("code").getAsString()).isEqualTo("parameter_invalid_integer");
        assertThat(notInt.get("param").getAsString()).isEqualTo("amount");

        JsonObject missing = json(raw("POST", "/v1/payment_intents", KEY, "currency=jpy")).getAsJsonObject("error");
        assertThat(missing.get("code").getAsString()).isEqualTo("parameter_missing");

        JsonObject zero = json(raw("POST", "/v1/payment_intents", KEY, "amount=0&currency=jpy")).getAsJsonObject("error");
        assertThat(zero.get("code").getAsString()).isEqualTo("parameter_invalid_integer");

        JsonObject usd = json(raw("POST", "/v1/payment_intents", KEY, "amount=100&currency=usd")).getAsJsonObject("error");
        assertThat(usd.get("param").getAsString()).isEqualTo("currency");

        JsonObject unknown = json(raw("POST", "/v1/payment_intents", KEY, "amount=100&currency=jpy&amout=1")).getAsJsonObject("error");
        assertThat(unknown.get("code").getAsString()).isEqualTo("parameter_unknown");

        // Arrays as a[0] (stripe-java) and a[], nested names, '+' for a space.
        JsonObject ok = json(raw("POST", "/v1/payment_intents", KEY,
                "amount=300&currency=jpy&payment_method_types[]=card&metadata[note]=a+b%E3%81%82&description=%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E"));
        assertThat(ok.get("metadata").getAsJsonObject().get("note").getAsString()).isEqualTo("a bあ");
        assertThat(ok.get("description").getAsString()).isEqualTo("山田 太郎");

        assertThatThrownBy(() -> stripe.v1().paymentIntents().retrieve("pi_nope"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("resource_missing");
                });
        assertThat(raw("GET", "/v1/customers", KEY, null).statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ webhooks

    @Test
    void webhooksAreSignedCarryTheApiVersionAndCanBeReread() throws Exception {
        PaymentIntent pi = paidByCard(2620);
        Receiver.Hit hit = receiver.next();
        Event event = Webhook.constructEvent(hit.body(), hit.signature(), SECRET, 300);
        assertThat(event.getId()).startsWith("evt_");
        assertThat(event.getApiVersion()).isEqualTo(com.stripe.Stripe.API_VERSION);
        assertThat(event.getLivemode()).isFalse();
        StripeObject object = event.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(((PaymentIntent) object).getId()).isEqualTo(pi.getId());
        assertThat(((PaymentIntent) object).getStatus()).isEqualTo("succeeded");

        assertThatThrownBy(() -> Webhook.constructEvent(hit.body().replace("succeeded", "canceled"), hit.signature(), SECRET, 300))
                .isInstanceOf(SignatureVerificationException.class);
        assertThatThrownBy(() -> Webhook.constructEvent(hit.body(), hit.signature(), "whsec_other", 300))
                .isInstanceOf(SignatureVerificationException.class);

        Event reread = stripe.v1().events().retrieve(event.getId());
        assertThat(reread.getType()).isEqualTo("payment_intent.succeeded");
        assertThat(reread.getDataObjectDeserializer().getObject()).isPresent();

        // Resent for a replay test: the same event id and body, a fresh signature.
        assertThat(raw("POST", "/_sandbox/events/" + event.getId() + "/resend", KEY, "").statusCode()).isEqualTo(200);
        Receiver.Hit again = receiver.next();
        assertThat(again.body()).isEqualTo(hit.body());
        assertThat(Webhook.constructEvent(again.body(), again.signature(), SECRET, 300).getId()).isEqualTo(event.getId());
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheEventOnTheThirdAttempt() throws Exception {
        receiver.failNext(500, 503);
        PaymentIntent pi = paidByCard(1000);
        Receiver.Hit first = receiver.next();
        Receiver.Hit second = receiver.next();
        Receiver.Hit third = receiver.next();
        assertThat(List.of(first.answered(), second.answered(), third.answered())).containsExactly(500, 503, 200);
        assertThat(third.body()).isEqualTo(first.body());
        Event event = Webhook.constructEvent(third.body(), third.signature(), SECRET, 300);
        assertThat(((PaymentIntent) event.getDataObjectDeserializer().getObject().orElseThrow()).getId()).isEqualTo(pi.getId());

        // Later events of the same intent waited behind the failing one, so they arrive after it.
        stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId()).build());
        assertThat(nextEvent().getType()).isEqualTo("refund.created");

        JsonArray deliveries = json(raw("GET", "/_sandbox/deliveries?event=" + event.getId(), KEY, null)).getAsJsonArray("data");
        List<String> outcomes = new ArrayList<>();
        for (JsonElement d : deliveries) {
            outcomes.add(d.getAsJsonObject().get("attempt").getAsInt() + ":" + d.getAsJsonObject().get("status").getAsInt()
                    + ":" + d.getAsJsonObject().get("outcome").getAsString());
        }
        assertThat(outcomes).containsExactly("1:500:retrying", "2:503:retrying", "3:200:delivered");
    }

    // ------------------------------------------------------------------ hosted card page

    @Test
    void hostedCardPageConfirmsAndRedirectsToTheReturnUrl() throws Exception {
        PaymentIntent pi = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(2620L)
                .setCurrency("jpy").addPaymentMethodType("card").setDescription("<script>alert(1)</script>").build());
        String returnUrl = receiver.done() + "?reservation=R-1";
        String page = sandbox.apiBase() + "/pay/" + pi.getId() + "?client_secret=" + enc(pi.getClientSecret())
                + "&return_url=" + enc(returnUrl);
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<html lang=\"ja\"").contains("4242 4242 4242 4242").contains("4000 0000 0000 0002")
                .contains("<label for=\"card_number\">").contains("&lt;script&gt;").doesNotContain("<script>");

        HttpResponse<String> wrongSecret = http.send(HttpRequest.newBuilder(URI.create(sandbox.apiBase() + "/pay/" + pi.getId()
                + "?client_secret=nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongSecret.statusCode()).isEqualTo(404);

        HttpResponse<String> badCard = post("/pay/" + pi.getId(), "client_secret=" + enc(pi.getClientSecret())
                + "&return_url=" + enc(returnUrl) + "&card_number=4242+4242+4242+4241&exp=12%2F34&cvc=123");
        assertThat(badCard.statusCode()).isEqualTo(400);
        assertThat(badCard.body()).contains("role=\"alert\"");

        HttpResponse<String> js = post("/pay/" + pi.getId(), "client_secret=" + enc(pi.getClientSecret())
                + "&return_url=" + enc("javascript:alert(1)") + "&card_number=4242424242424242&exp=12%2F34&cvc=123");
        assertThat(js.statusCode()).isEqualTo(400);

        HttpResponse<String> declined = post("/pay/" + pi.getId(), "client_secret=" + enc(pi.getClientSecret())
                + "&return_url=" + enc(returnUrl) + "&card_number=4000+0000+0000+0002&exp=12%2F34&cvc=123");
        assertThat(declined.body()).isEqualTo("returned");
        URI failed = receiver.returns.take();
        assertThat(failed.getQuery()).contains("reservation=R-1").contains("payment_intent=" + pi.getId())
                .contains("redirect_status=failed");

        HttpResponse<String> paid = post("/pay/" + pi.getId(), "client_secret=" + enc(pi.getClientSecret())
                + "&return_url=" + enc(returnUrl) + "&card_number=4242+4242+4242+4242&exp=12%2F34&cvc=123");
        assertThat(paid.statusCode()).isEqualTo(200);
        assertThat(paid.uri().getPath()).isEqualTo("/done");
        assertThat(receiver.returns.take().getQuery()).contains("redirect_status=succeeded");
        PaymentIntent after = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertThat(after.getStatus()).isEqualTo("succeeded");
        assertThat(nextEvent().getType()).isEqualTo("payment_intent.payment_failed");
        assertThat(nextEvent().getType()).isEqualTo("payment_intent.succeeded");
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.apiBase() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
