package jp.kominkan.cloud.payment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.Authenticator;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.ledger.Balance;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * Payments over the API: a resident starts paying a held reservation online and reads its money
 * ({@code /api/v1/reservations/{id}/payments}); the provider's webhook ({@code /api/v1/payments/stripe/webhook})
 * is verified over its raw body before anything is read from it.
 */
public final class PaymentHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(PaymentHttpService.class.getName());
    private static final int MAX_WEBHOOK = 256 * 1024;

    private final Payments payments;
    private final PaymentRepository repository;
    private final Ledger ledger;
    private final BookingService bookings;
    private final Authenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param payments      online payments
     * @param repository    payments and refunds
     * @param ledger        the money ledger
     * @param bookings      reservations (ownership)
     * @param authenticator who is calling
     * @param tenancy       the municipality
     */
    public PaymentHttpService(Payments payments, PaymentRepository repository, Ledger ledger, BookingService bookings,
                              Authenticator authenticator, Tenancy tenancy) {
        this.payments = payments;
        this.repository = repository;
        this.ledger = ledger;
        this.bookings = bookings;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/reservations/{id}/payments", this::start)
                .get("/reservations/{id}/payments", this::list)
                .post("/payments/stripe/webhook", this::webhook);
    }

    private void start(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        UUID id = PathIds.uuid(req, "id");
        StartBody body = Json.read(req, StartBody.class);
        Payment.Method method = Payment.Method.of(body.method() == null ? "" : body.method())
                .filter(m -> m != Payment.Method.CASH)
                .orElseThrow(() -> Problem.badField("method", "method is card or konbini.",
                        "支払方法は card（クレジットカード）か konbini（コンビニ払い）を指定してください。"));
        String returnUrl = (req.isSecure() ? "https://" : "http://")
                + req.headers().first(HeaderNames.HOST).orElse("localhost") + "/reservations/" + id + "?paid=1";
        Payments.Started started = payments.start(town, account, id, method, returnUrl, account.email().orElse(""));
        Json.send(res, Status.CREATED_201, StartedView.of(started));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        Account account = authenticator.requireAccount(req, town);
        UUID id = bookings.visibleTo(town, account, PathIds.uuid(req, "id")).id();
        Balance balance = ledger.balance(id);
        Json.send(res, Status.OK_200, new MoneyView(balance.due(), balance.paid(), balance.owed(),
                repository.payments(id).stream().map(p -> new PaymentView(p.id(), p.method().wire(), p.amount(),
                        p.status().wire(), p.receiptNumber().orElse(""))).toList(),
                repository.refunds(id).stream().map(r -> new RefundView(r.id(), r.amount(), r.ratePercent(),
                        r.status().wire())).toList()));
    }

    private void webhook(ServerRequest req, ServerResponse res) {
        String payload;
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_WEBHOOK + 1);
            if (body.length > MAX_WEBHOOK) {
                throw Problem.tooLarge(MAX_WEBHOOK);
            }
            payload = new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String signature = req.headers().first(HeaderNames.create("Stripe-Signature")).orElse("");
        try {
            String outcome = payments.webhook(payload, signature);
            Json.send(res, Status.OK_200, Map.of("received", true, "outcome", outcome));
        } catch (OnlineProvider.ProviderFailure e) {
            // The event is genuine but the provider cannot be asked what it says: 503, so the provider sends it again.
            LOG.log(Level.WARNING, "A payment webhook could not be checked with the provider: " + e.getMessage());
            throw Problem.dependencyDown("payment-provider-down", "The payment provider cannot be reached; send it again later.",
                    "決済サービスに接続できません。しばらくしてから再送してください。");
        } catch (OnlineProvider.WebhookRefused e) {
            // Counted and logged without the body or the header (they are the provider's, not ours to keep).
            LOG.log(Level.WARNING, "Refused a payment webhook: " + e.getMessage());
            throw Problem.badRequest("webhook-refused", "The webhook was refused: " + e.getMessage() + ".",
                    "Webhook を受け付けませんでした。");
        }
    }

    /** Body of a start. */
    record StartBody(String method) {
    }

    /**
     * @param paymentId  our payment
     * @param method     card or konbini
     * @param amount     yen
     * @param cardPage   where to enter the card
     * @param voucher    the konbini codes; null for a card (left out of the JSON: the API's mapper has no
     *                   module for {@code Optional}, so a field of that type cannot be written at all)
     */
    record StartedView(UUID paymentId, String method, long amount, String cardPage, VoucherView voucher) {
        static StartedView of(Payments.Started s) {
            return new StartedView(s.payment().id(), s.payment().method().wire(), s.payment().amount(),
                    s.cardPage().orElse(""), s.voucher().map(v -> new VoucherView(v.expiresAt().toString(),
                    v.url().orElse(""), v.stores().stream().map(c -> new StoreView(c.store(), c.paymentCode(),
                    c.confirmationNumber().orElse(""))).toList())).orElse(null));
        }
    }

    record VoucherView(String expiresAt, String url, List<StoreView> stores) {
    }

    record StoreView(String store, String paymentCode, String confirmationNumber) {
    }

    record MoneyView(long due, long paid, long owed, List<PaymentView> payments, List<RefundView> refunds) {
    }

    record PaymentView(UUID id, String method, long amount, String status, String receiptNumber) {
    }

    record RefundView(UUID id, long amount, int ratePercent, String status) {
    }
}
