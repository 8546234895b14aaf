package jp.kominkan.cloud.payment;

import static jp.kominkan.cloud.payment.SandboxedCloud.event;
import static jp.kominkan.cloud.payment.SandboxedCloud.eventually;
import static jp.kominkan.cloud.payment.SandboxedCloud.signature;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.LedgerInvariant;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Forged, stale, replayed and lying webhooks at {@code POST /api/v1/payments/stripe/webhook}: each is refused
 * (or, replayed, answered as a duplicate) and changes no payment, refund, ledger entry, reservation or slot.
 * Webhooks are signed here as Stripe signs them (docs.stripe.com/webhooks/signature: {@code t=…,v1=} HMAC-SHA256
 * over {@code t + "." + body}, 300 s tolerance), with the cloud's secret unless a test says otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebhookAttackSuite {

    private static final String[] TABLES = {"payment", "refund", "ledger_entry", "reservation", "payment_event",
            "room_slot"};

    SandboxedCloud town;
    String resident;
    UUID reservation;
    String intent;

    abstract TestDatabases.Kind kind();

    @BeforeAll
    void start() {
        town = SandboxedCloud.start(kind());
    }

    @AfterAll
    void stop() {
        if (town != null) {
            town.close();
        }
    }

    /** A held booking whose card payment has been started at the provider and not paid. */
    @BeforeEach
    void givenAPendingCardPayment() {
        resident = town.resident();
        reservation = town.held(resident, town.givenPaidRoom(1_200), town.today().plusDays(10), "10:00", "11:00");
        town.startPayment(resident, reservation, "card");
        intent = town.intentOf(reservation);
        town.awaitDeliveries();
    }

    @AfterEach
    void theLedgerAddsUp() {
        LedgerInvariant.check(town.db());
    }

    @Test
    void aWebhookWithoutASignatureIsRefused() {
        String body = succeeded(intent);
        refusedAndNothingChanges(body, null, 400);
        refusedAndNothingChanges(body, "", 400);
    }

    @Test
    void aWebhookSignedWithAnotherSecretIsRefused() {
        String body = succeeded(intent);
        refusedAndNothingChanges(body, signature(town.cloudNow(), body, "whsec_not_the_cloud_s"), 400);
    }

    @Test
    void aBodyAlteredAfterSigningIsRefused() {
        String signed = succeeded(intent);
        String altered = signed.replace("\"amount\":1200", "\"amount\":1");
        assertThat(altered).isNotEqualTo(signed);
        refusedAndNothingChanges(altered, signature(town.cloudNow(), signed, town.webhookSecret), 400);
    }

    @Test
    void aSignatureOlderThanFiveMinutesIsRefused() {
        String body = succeeded(intent);
        long now = Long.parseLong(town.cloudNow());
        refusedAndNothingChanges(body, signature(Long.toString(now - 301), body, town.webhookSecret), 400);
    }

    @Test
    void aSignatureDatedAnHourAheadIsRefused() {
        String body = succeeded(intent);
        long now = Long.parseLong(town.cloudNow());
        refusedAndNothingChanges(body, signature(Long.toString(now + 3_600), body, town.webhookSecret), 400);
    }

    @Test
    void aTimestampThatIsNoNumberIsRefused() {
        String body = succeeded(intent);
        refusedAndNothingChanges(body, signature("abc", body, town.webhookSecret), 400);
        refusedAndNothingChanges(body, "v1=" + signature(town.cloudNow(), body, town.webhookSecret).split("v1=")[1], 400);
    }

    @Test
    void aValidlySignedEventForAPaymentIntentThatIsNotOursIsRefused() {
        String body = succeeded("pi_" + UUID.randomUUID().toString().replace("-", ""));
        refusedAndNothingChanges(body, signature(town.cloudNow(), body, town.webhookSecret), 400);
    }

    @Test
    void aBodyOver256KiBIsRefusedAsTooLarge() {
        String body = event("evt_big_" + UUID.randomUUID(), "payment_intent.succeeded",
                intentJson(intent, "succeeded", "\"description\":\"" + "x".repeat(300 * 1024) + "\","));
        refusedAndNothingChanges(body, signature(town.cloudNow(), body, town.webhookSecret), 413);
    }

    @Test
    void aSignedEventClaimingSuccessIsCheckedWithTheProviderAndTheBookingStaysHeld() {
        List<String> before = town.rows("payment", "refund", "ledger_entry", "reservation", "room_slot");
        String body = succeeded(intent);
        Api.Response answer = town.postWebhook(body, signature(town.cloudNow(), body, town.webhookSecret));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(town.sandboxGet("/v1/payment_intents/" + intent).get("status").asText())
                .isEqualTo("requires_payment_method");
        assertThat(town.status(reservation)).isEqualTo("held");
        assertThat(town.payments(reservation)).containsExactly("card:pending:1200");
        assertThat(town.rows("payment", "refund", "ledger_entry", "reservation", "room_slot")).isEqualTo(before);
    }

    @Test
    void aReplayedEventIsADuplicateThatChangesNothing() {
        String cardPage = town.api.post("/api/v1/reservations/" + reservation + "/payments", "{\"method\":\"card\"}")
                .token(resident).send().json().get("cardPage").asText();
        town.payOnCardPage(cardPage, SandboxedCloud.VISA);
        eventually("the card payment confirming the booking", () -> town.status(reservation).equals("confirmed"));
        town.awaitDeliveries();
        String eventId = null;
        for (JsonNode e : town.sandboxGet("/v1/events?type=payment_intent.succeeded&limit=100").get("data")) {
            if (e.get("data").get("object").get("id").asText().equals(intent)) {
                eventId = e.get("id").asText();
            }
        }
        assertThat(eventId).isNotNull();
        String delivered = town.sandboxGetRaw("/v1/events/" + eventId);
        List<String> before = town.rows(TABLES);

        Api.Response replayed = town.postWebhook(delivered, signature(town.cloudNow(), delivered, town.webhookSecret));
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().get("outcome").asText()).isEqualTo("duplicate");
        assertThat(town.rows(TABLES)).isEqualTo(before);
        assertThat(town.payments(reservation)).containsExactly("card:succeeded:1200");
        assertThat(town.ledger(reservation)).containsExactly("charge:1200", "payment:1200");
    }

    @Test
    void theSameEventDeliveredEightTimesAtOnceIsAppliedOnceAndNeverA500() throws Exception {
        // As when the provider retries while another instance is still answering the first delivery.
        String body = succeeded(intent);
        String signed = signature(town.cloudNow(), body, town.webhookSecret);
        List<String> before = town.rows("payment", "refund", "ledger_entry", "reservation", "room_slot");
        List<java.util.concurrent.Future<Api.Response>> sent = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                sent.add(pool.submit(() -> town.postWebhook(body, signed)));
            }
        }
        List<String> outcomes = new java.util.ArrayList<>();
        for (var answer : sent) {
            assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(200);
            outcomes.add(answer.get().json().get("outcome").asText());
        }
        assertThat(outcomes).containsOnly("applied", "duplicate");
        assertThat(outcomes.stream().filter("applied"::equals).count()).isEqualTo(1);
        assertThat(town.rows("payment", "refund", "ledger_entry", "reservation", "room_slot")).isEqualTo(before);
        assertThat(town.status(reservation)).isEqualTo("held");
    }

    private void refusedAndNothingChanges(String body, String signature, int status) {
        List<String> before = town.rows(TABLES);
        Api.Response answer = town.postWebhook(body, signature);
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).contains("application/problem+json");
        assertThat(town.rows(TABLES)).isEqualTo(before);
        assertThat(town.status(reservation)).isEqualTo("held");
    }

    /** An event saying the intent succeeded, with the whole intent as Stripe sends it. */
    private static String succeeded(String intent) {
        return event("evt_test_" + UUID.randomUUID().toString().replace("-", ""), "payment_intent.succeeded",
                intentJson(intent, "succeeded", ""));
    }

    private static String intentJson(String id, String status, String more) {
        return "{\"id\":\"" + id + "\",\"object\":\"payment_intent\"," + more + "\"amount\":1200,"
                + "\"amount_received\":1200,\"currency\":\"jpy\",\"livemode\":false,\"status\":\"" + status + "\"}";
    }
}
