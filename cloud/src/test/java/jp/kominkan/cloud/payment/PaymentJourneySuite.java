package jp.kominkan.cloud.payment;

import static jp.kominkan.cloud.payment.SandboxedCloud.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.LedgerInvariant;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Money journeys over real HTTP against a real database and the payment sandbox (issue 12): cash at the
 * counter and its refunds by the default schedule (100 % from 7 days before, 50 % from 3, 100 % when the
 * city cancels), a card on the sandbox's hosted page confirmed by its webhook, a declined card, konbini
 * paid, expired and refunded. The ledger's invariant is checked after every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PaymentJourneySuite {

    SandboxedCloud town;

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

    @AfterEach
    void theLedgerAddsUp() {
        LedgerInvariant.check(town.db());
    }

    // ---- at the counter -------------------------------------------------------------------------

    @Test
    void cashAtTheCounterConfirmsAHeldBookingWithChangeAndPutsChargeAndPaymentInTheLedger() {
        String resident = town.resident();
        long room = town.givenPaidRoom(1_000);
        Api.Response booked = town.book(resident, room, town.today().plusDays(10), "10:00", "12:00", "");
        assertThat(booked.status()).isEqualTo(201);
        assertThat(booked.json().get("status").asText()).isEqualTo("held");
        assertThat(booked.json().get("amount").asInt()).isEqualTo(2_000);
        Instant deadline = OffsetDateTime.parse(booked.json().get("holdExpiresAt").asText()).toInstant();
        assertThat(deadline).isAfter(town.clock.instant()).isBeforeOrEqualTo(town.clock.instant().plus(SandboxedCloud.HOLD));
        UUID id = UUID.fromString(booked.json().get("id").asText());

        Api.Response cash = cash(id, 5_000);
        assertThat(cash.status()).isEqualTo(200);
        assertThat(cash.json().get("status").asText()).isEqualTo("confirmed");
        assertThat(cash.json().get("receiptNumber").asText()).isNotBlank();
        assertThat(town.status(id)).isEqualTo("confirmed");
        assertThat(town.db().execute().get("select received_yen, change_yen, method, status from payment"
                + " where reservation_id = ?", id).map(row -> row.column("received_yen").get(Long.class) + "/"
                + row.column("change_yen").get(Long.class) + "/" + row.column("method").get(String.class) + "/"
                + row.column("status").get(String.class))).contains("5000/3000/cash/succeeded");
        assertThat(town.ledger(id)).containsExactly("charge:2000", "payment:2000");
        JsonNode money = town.api.get("/api/v1/reservations/" + id + "/payments").token(resident).send().json();
        assertThat(money.get("due").asLong()).isEqualTo(2_000);
        assertThat(money.get("paid").asLong()).isEqualTo(2_000);
        assertThat(money.get("owed").asLong()).isZero();
    }

    @Test
    void lessCashThanTheFeeIsRefusedAndChangesNothing() {
        UUID id = town.held(town.resident(), town.givenPaidRoom(1_000), town.today().plusDays(10), "13:00", "14:00");
        Api.Response short_ = cash(id, 999);
        assertThat(short_.status()).isEqualTo(400);
        assertThat(short_.json().get("field").asText()).isEqualTo("amountReceived");
        assertThat(town.status(id)).isEqualTo("held");
        assertThat(town.payments(id)).isEmpty();
        assertThat(town.ledger(id)).containsExactly("charge:1000");
    }

    @Test
    void aResidentCancellingAWeekOrMoreAheadGetsAllTheCashBackPendingAtTheCounter() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(1_000), town.today().plusDays(10), "10:00", "13:00");
        assertThat(cash(id, 3_000).status()).isEqualTo(200);

        Api.Response cancelled = town.api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send();
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(town.refunds(id)).containsExactly("pending:3000:100");
        assertThat(town.reservation(id).get("cancellation_fee")).isEqualTo(0L);
        // Cash goes back when a clerk pays it out: until then the ledger shows it as still paid.
        assertThat(town.ledger(id)).containsExactly("charge:3000", "payment:3000", "cancellation:3000");
    }

    @Test
    void theCityCancellingRefundsEverythingEvenTwoDaysAhead() {
        UUID id = town.held(town.resident(), town.givenPaidRoom(1_000), town.today().plusDays(2), "18:00", "20:00");
        assertThat(cash(id, 2_000).status()).isEqualTo(200);

        Api.Response cancelled = town.api.post("/api/v1/staff/reservations/" + id + "/cancel",
                "{\"reason\":\"空調設備の故障のため\"}").token(town.staff()).send();
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(town.refunds(id)).containsExactly("pending:2000:100");
        assertThat(town.reservation(id).get("cancellation_fee")).isEqualTo(0L);
    }

    @Test
    void cancellingFiveDaysAheadRefundsHalfAndRecordsTheCancellationFee() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(1_000), town.today().plusDays(5), "09:00", "11:00");
        assertThat(cash(id, 2_000).status()).isEqualTo(200);

        assertThat(town.api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send().status())
                .isEqualTo(200);
        assertThat(town.refunds(id)).containsExactly("pending:1000:50");
        assertThat(town.reservation(id).get("cancellation_fee")).isEqualTo(1_000L);
        assertThat(town.ledger(id)).containsExactly("charge:2000", "payment:2000", "cancellation:1000");
    }

    @Test
    void anUnpaidBookingCancelledLeavesNothingDueAndNoRefund() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(1_000), town.today().plusDays(1), "09:00", "10:00");
        assertThat(town.api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send().status())
                .isEqualTo(200);
        assertThat(town.refunds(id)).isEmpty();
        assertThat(town.ledger(id)).containsExactly("charge:1000", "cancellation:1000");
    }

    // ---- by card on the sandbox -----------------------------------------------------------------

    @Test
    void aCardPaidOnTheProvidersPageConfirmsTheBookingByWebhookAndCancellingRefundsItThroughTheProvider() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(1_500), town.today().plusDays(12), "10:00", "12:00");
        JsonNode started = town.startPayment(resident, id, "card");
        assertThat(started.get("amount").asLong()).isEqualTo(3_000);
        String cardPage = started.get("cardPage").asText();
        assertThat(cardPage).startsWith(town.sandbox.apiBase() + "/pay/pi_");

        String back = town.payOnCardPage(cardPage, SandboxedCloud.VISA);
        assertThat(back).contains("redirect_status=succeeded").contains("/reservations/" + id);
        eventually("the card payment confirming the booking", () -> town.status(id).equals("confirmed"));
        assertThat(town.payments(id)).containsExactly("card:succeeded:3000");
        assertThat(town.ledger(id)).containsExactly("charge:3000", "payment:3000");
        assertThat(town.reservation(id).get("payment_method")).isEqualTo("card");
        // Online payments take their receipt number from the municipality's series, like cash at the counter.
        assertThat(town.api.get("/api/v1/reservations/" + id + "/payments").token(resident).send().json()
                .get("payments").get(0).get("receiptNumber").asText()).matches("R20[0-9]{2}-[0-9]{6}");
        assertThat(town.api.get("/api/v1/reservations/" + id).token(resident).send().json().get("status").asText())
                .isEqualTo("confirmed");

        assertThat(town.api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send().status())
                .isEqualTo(200);
        assertThat(town.refunds(id)).containsExactly("succeeded:3000:100");
        assertThat(town.ledger(id)).containsExactly("charge:3000", "payment:3000", "cancellation:3000", "refund:3000");
        JsonNode atProvider = town.sandboxGet("/v1/refunds/" + town.refundRefOf(id));
        assertThat(atProvider.get("status").asText()).isEqualTo("succeeded");
        assertThat(atProvider.get("amount").asLong()).isEqualTo(3_000);
        assertThat(atProvider.get("payment_intent").asText()).isEqualTo(town.intentOf(id));
        // The provider's refund events change nothing more.
        town.awaitDeliveries();
        assertThat(town.ledger(id)).containsExactly("charge:3000", "payment:3000", "cancellation:3000", "refund:3000");
    }

    @Test
    void aDeclinedCardLeavesTheBookingHeldAndItCanBePaidWithAnotherCard() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(1_000), town.today().plusDays(12), "14:00", "15:00");
        String cardPage = town.startPayment(resident, id, "card").get("cardPage").asText();

        assertThat(town.payOnCardPage(cardPage, SandboxedCloud.DECLINED)).contains("redirect_status=failed");
        String intent = town.intentOf(id);
        eventually("the decline's webhook delivered", () -> town.delivered(intent, "payment_intent.payment_failed"));
        assertThat(town.status(id)).isEqualTo("held");
        assertThat(town.payments(id)).containsExactly("card:pending:1000");
        assertThat(town.ledger(id)).containsExactly("charge:1000");

        // The same intent is offered again, and a good card pays it.
        String again = town.startPayment(resident, id, "card").get("cardPage").asText();
        assertThat(again).contains(intent);
        town.payOnCardPage(again, SandboxedCloud.VISA);
        eventually("the second card confirming the booking", () -> town.status(id).equals("confirmed"));
        assertThat(town.payments(id)).containsExactly("card:succeeded:1000");
    }

    // ---- at a convenience store -----------------------------------------------------------------

    @Test
    void aKonbiniVoucherPaidAtTheStoreConfirmsTheBooking() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(800), town.today().plusDays(14), "10:00", "11:00");
        JsonNode voucher = town.startPayment(resident, id, "konbini").get("voucher");
        assertThat(voucher.get("stores")).isNotEmpty();
        assertThat(voucher.get("stores").findValuesAsText("paymentCode")).allMatch(code -> code.matches("[0-9]{6,20}"));
        assertThat(town.status(id)).isEqualTo("held");

        town.sandboxPost("/_sandbox/konbini/" + town.intentOf(id) + "/pay");
        eventually("the store payment confirming the booking", () -> town.status(id).equals("confirmed"));
        assertThat(town.payments(id)).containsExactly("konbini:succeeded:800");
        assertThat(town.ledger(id)).containsExactly("charge:800", "payment:800");
    }

    @Test
    void aKonbiniPaymentOutsideTheProvidersLimitsIsRefusedAndNothingIsStarted() {
        // Konbini takes 120 to 300,000 yen (Stripe's limits for jpy); 100 yen is refused before the provider is asked.
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(100), town.today().plusDays(14), "10:00", "11:00");
        assertThat(town.startPaymentStatus(resident, id, "konbini")).isEqualTo(409);
        assertThat(town.payments(id)).isEmpty();
        assertThat(town.status(id)).isEqualTo("held");
        // A card takes it (from 50 yen).
        assertThat(town.startPayment(resident, id, "card").get("cardPage").asText()).contains("/pay/");
    }

    @Test
    void aVoucherPaidAfterTheFeeFellConfirmsTheBookingAndGivesTheSurplusBack() {
        // A voucher for 800 yen is out; staff then move the held booking to a cheaper room (500 yen). The resident
        // pays the old voucher at the store: the booking is confirmed and the 300 yen too much goes back.
        String resident = town.resident();
        LocalDate day = town.today().plusDays(14);
        UUID id = town.held(resident, town.givenPaidRoom(800), day, "10:00", "11:00");
        town.startPayment(resident, id, "konbini");
        long cheaper = town.givenPaidRoom(500);
        Api.Response moved = town.api.post("/api/v1/staff/reservations/" + id + "/move",
                "{\"roomId\":" + cheaper + ",\"start\":\"" + SandboxedCloud.at(day, "10:00").toOffsetDateTime()
                        + "\",\"end\":\"" + SandboxedCloud.at(day, "11:00").toOffsetDateTime() + "\"}")
                .token(town.staff()).send();
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(town.ledger(id)).containsExactly("charge:800", "cancellation:300");

        town.sandboxPost("/_sandbox/konbini/" + town.intentOf(id) + "/pay");
        eventually("the store payment confirming the booking", () -> town.status(id).equals("confirmed"));
        eventually("the surplus refund sent to the provider", () -> town.db().execute()
                .get("select 1 as x from refund where reservation_id = ? and provider_ref is not null", id).isPresent());
        assertThat(town.refunds(id)).singleElement().asString().startsWith("pending:300:");
        town.sandboxPost("/_sandbox/refunds/" + town.refundRefOf(id) + "/complete");
        eventually("the surplus back through the provider", () -> town.refunds(id).get(0).startsWith("succeeded:300"));
        assertThat(town.ledger(id)).containsExactly("charge:800", "cancellation:300", "payment:800", "refund:300");
    }

    @Test
    void aKonbiniRefundStaysPendingUntilTheProviderHasPaidItBack() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(900), town.today().plusDays(14), "13:00", "14:00");
        town.startPayment(resident, id, "konbini");
        town.sandboxPost("/_sandbox/konbini/" + town.intentOf(id) + "/pay");
        eventually("the store payment confirming the booking", () -> town.status(id).equals("confirmed"));

        assertThat(town.api.post("/api/v1/reservations/" + id + "/cancel", null).token(resident).send().status())
                .isEqualTo(200);
        assertThat(town.refunds(id)).containsExactly("pending:900:100");
        String refund = town.refundRefOf(id);
        town.awaitDeliveries();
        assertThat(town.refunds(id)).containsExactly("pending:900:100");
        assertThat(town.ledger(id)).containsExactly("charge:900", "payment:900", "cancellation:900");

        town.sandboxPost("/_sandbox/refunds/" + refund + "/complete");
        eventually("the completed refund in the ledger", () -> town.ledger(id).contains("refund:900"));
        assertThat(town.refunds(id)).containsExactly("succeeded:900:100");
        assertThat(town.ledger(id)).containsExactly("charge:900", "payment:900", "cancellation:900", "refund:900");
    }

    @Test
    void anExpiredKonbiniVoucherLapsesTheBookingAndFreesItsSlotForSomeoneElse() {
        String resident = town.resident();
        long room = town.givenPaidRoom(700);
        LocalDate day = town.today().plusDays(20);
        UUID id = town.held(resident, room, day, "10:00", "12:00");
        town.startPayment(resident, id, "konbini");
        String intent = town.intentOf(id);
        town.awaitDeliveries();
        assertThat(town.book(town.anotherResident(), room, day, "11:00", "12:00", "").status()).isEqualTo(409);

        town.advanceBoth(SandboxedCloud.HOLD.plusMinutes(5));
        eventually("the voucher's expiry lapsing the booking", () -> town.status(id).equals("expired"));
        assertThat(town.sandboxGet("/v1/payment_intents/" + intent).get("status").asText()).isEqualTo("canceled");
        assertThat(town.payments(id)).containsExactly("konbini:canceled:1400");
        assertThat(town.ledger(id)).containsExactly("charge:1400", "cancellation:1400");
        assertThat(town.db().execute().get("select count(*) as n from room_slot where reservation_id = ?", id)
                .map(row -> row.column("n").get(Long.class))).contains(0L);
        Api.Response second = town.book(town.anotherResident(), room, day, "10:00", "12:00", "");
        assertThat(second.status()).isEqualTo(201);
        // Paying the lapsed voucher is no longer possible at the store.
        assertThat(town.startPaymentStatus(resident, id, "konbini")).isEqualTo(409);
    }

    // ---- whose money ----------------------------------------------------------------------------

    @Test
    void anotherResidentsReservationIsNotFoundOnThePaymentsResource() {
        UUID id = town.held(town.resident(), town.givenPaidRoom(1_000), town.today().plusDays(9), "10:00", "11:00");
        String stranger = town.anotherResident();
        assertThat(town.api.get("/api/v1/reservations/" + id + "/payments").token(stranger).send().status())
                .isEqualTo(404);
        assertThat(town.startPaymentStatus(stranger, id, "card")).isEqualTo(404);
        assertThat(town.api.get("/api/v1/reservations/" + id + "/payments").send().status()).isEqualTo(401);
        assertThat(town.payments(id)).isEmpty();
    }

    @Test
    void cashCanOnlyBeRecordedWithAStaffSession() {
        String resident = town.resident();
        UUID id = town.held(resident, town.givenPaidRoom(1_000), town.today().plusDays(9), "12:00", "13:00");
        String path = "/api/v1/staff/reservations/" + id + "/cash";
        assertThat(town.api.post(path, "{\"amountReceived\":1000}").send().status()).isEqualTo(401);
        assertThat(town.api.post(path, "{\"amountReceived\":1000}").token(resident).send().status()).isIn(401, 403);
        assertThat(town.api.post(path, "{\"amountReceived\":1000}").token("forged").send().status()).isIn(401, 403);
        assertThat(town.status(id)).isEqualTo("held");
        assertThat(town.payments(id)).isEmpty();
    }

    private Api.Response cash(UUID id, int received) {
        return town.api.post("/api/v1/staff/reservations/" + id + "/cash", "{\"amountReceived\":" + received + "}")
                .token(town.staff()).send();
    }
}
