package jp.kominkan.cloud.resident;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.ledger.Balance;
import jp.kominkan.cloud.ledger.Ledger;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.payment.Payment;
import jp.kominkan.cloud.payment.PaymentRepository;
import jp.kominkan.cloud.payment.Payments;
import jp.kominkan.cloud.payment.Refund;
import jp.kominkan.cloud.receipt.HandledBy;
import jp.kominkan.cloud.receipt.Issuer;
import jp.kominkan.cloud.receipt.PaymentMethod;
import jp.kominkan.cloud.receipt.Receipt;
import jp.kominkan.cloud.receipt.ReceiptPdf;
import jp.kominkan.cloud.receipt.UsePeriod;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * A booking's money, for its resident (お支払い): what is owed and by when, paying by card (on the
 * provider's page) or at a convenience store (the voucher's codes), what was paid and refunded, and each
 * payment's receipt (領収書) as PDF. Coming back from the card page re-reads the payment from the
 * provider, so the result shows even before its webhook arrives.
 */
public final class PaymentPages implements HttpService {

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final BookingService bookings;
    private final FacilityRepository facilities;
    private final Payments payments;
    private final PaymentRepository repository;
    private final Ledger ledger;
    private final ReceiptPdf receipts;
    private final jp.kominkan.cloud.receipt.RefundNoticePdf notices;
    private final Clock clock;

    /**
     * @param pages      page plumbing
     * @param tenancy    the municipality
     * @param bookings   reservations
     * @param facilities rooms and facilities
     * @param payments   online payments
     * @param repository payments and refunds
     * @param ledger     the money ledger
     * @param receipts   receipts as PDF
     * @param notices    refund notices as PDF
     * @param clock      the clock
     */
    public PaymentPages(PageSupport pages, Tenancy tenancy, BookingService bookings, FacilityRepository facilities,
                        Payments payments, PaymentRepository repository, Ledger ledger, ReceiptPdf receipts,
                        jp.kominkan.cloud.receipt.RefundNoticePdf notices, Clock clock) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.bookings = bookings;
        this.facilities = facilities;
        this.payments = payments;
        this.repository = repository;
        this.ledger = ledger;
        this.receipts = receipts;
        this.notices = notices;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/reservations/{id}/payment", ResidentOnly.wrap(pages, tenancy, this::show))
                .post("/reservations/{id}/payment", ResidentOnly.wrap(pages, tenancy, this::pay))
                .get("/reservations/{id}/receipts/{payment}", ResidentOnly.wrap(pages, tenancy, this::receipt))
                .get("/reservations/{id}/refunds/{refund}", ResidentOnly.wrap(pages, tenancy, this::refundNotice));
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        for (Payment p : repository.payments(r.id())) {
            if (p.status() == Payment.Status.PENDING && p.providerRef().isPresent()) {
                payments.sync(p.providerRef().get()); // back from the card page, or a voucher paid meanwhile
            }
        }
        render(req, res, town, bookings.visibleTo(town, account, r.id()), Optional.empty());
    }

    private void pay(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Map<String, String> form = pages.form(req);
        UUID id = PathIds.uuid(req, "id");
        Payment.Method method = Payment.Method.of(form.getOrDefault("method", "")).filter(m -> m != Payment.Method.CASH)
                .orElseThrow(() -> Problem.badField("method", "Choose card or convenience store.",
                        "支払方法を選んでください。"));
        String back = (req.isSecure() ? "https://" : "http://") + req.headers().first(HeaderNames.HOST).orElse("localhost")
                + "/reservations/" + id + "/payment";
        try {
            Payments.Started started = payments.start(town, account, id, method, back, account.email().orElse(""));
            pages.redirect(res, started.cardPage().orElse("/reservations/" + id + "/payment"));
        } catch (Problem problem) {
            render(req, res, town, bookings.visibleTo(town, account, id), Optional.of(Formats.message(req, problem)));
        }
    }

    private void render(ServerRequest req, ServerResponse res, Municipality town, Reservation r, Optional<String> error) {
        Page page = pages.page(req, res, town);
        Instant now = clock.instant();
        Balance balance = ledger.balance(r.id());
        List<Payment> list = repository.payments(r.id());
        List<Refund> refunds = repository.refunds(r.id());
        Map<String, Object> model = new HashMap<>();
        model.put("id", r.id().toString());
        model.put("held", r.statusAt(now) == ReservationStatus.HELD);
        model.put("deadline", r.holdDeadline().map(d -> Formats.format(d, town.zone(), page)).orElse(""));
        model.put("due", balance.due());
        model.put("paid", balance.paid());
        model.put("owed", balance.owed());
        model.put("online", payments.onlineOffered());
        model.put("payments", list);
        model.put("refunds", refunds);
        model.put("error", error.orElse(""));
        model.put("voucher", list.stream().filter(p -> p.status() == Payment.Status.PENDING
                && p.method() == Payment.Method.KONBINI).findFirst().flatMap(p -> voucher(p)));
        pages.render(res, error.isPresent() ? Status.CONFLICT_409 : Status.OK_200, "payment.jte", page, model,
                payments.pageOrigin());
    }

    private Optional<jp.kominkan.cloud.payment.OnlineProvider.Voucher> voucher(Payment p) {
        return p.providerRef().flatMap(payments::voucher);
    }

    private void receipt(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        Payment p = repository.payment(PathIds.uuid(req, "payment")).filter(x -> x.reservationId().equals(r.id()))
                .filter(x -> x.status() == Payment.Status.SUCCEEDED)
                .orElseThrow(() -> Problem.notFound("receipt", "領収書"));
        Room room = facilities.room(town.id(), r.roomId()).orElseThrow();
        String facility = facilities.facility(town.id(), room.facilityId()).map(f -> f.name()).orElse("");
        LocalDateTime start = LocalDateTime.ofInstant(r.range().start(), town.zone());
        LocalDateTime end = LocalDateTime.ofInstant(r.range().end(), town.zone());
        Receipt receipt = new Receipt(p.receiptNumber().or(p::providerRef).orElse(p.id().toString()),
                r.id().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT), account.name(),
                facility + " " + room.name() + " 使用料として", receiptLines(r, p, room),
                p.amount(), LocalDateTime.ofInstant(p.completedAt().orElse(p.createdAt()), town.zone()).toLocalDate(),
                new UsePeriod(start, end), new Issuer(town.name(), facility),
                method(p),
                p.providerRef().<HandledBy>map(HandledBy.Provider::new).orElse(new HandledBy.Clerk("窓口")));
        sendPdf(res, receipts.render(receipt), "receipt-" + p.id().toString().substring(0, 8));
    }

    /** The refund notice (還付通知書) of one refund of the resident's own booking, once it is decided. */
    private void refundNotice(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        Refund f = repository.refund(PathIds.uuid(req, "refund")).filter(x -> x.reservationId().equals(r.id()))
                .filter(x -> x.status() != Refund.Status.FAILED)
                .orElseThrow(() -> Problem.notFound("refund", "還付"));
        Payment p = repository.payment(f.paymentId()).orElseThrow();
        Room room = facilities.room(town.id(), r.roomId()).orElseThrow();
        String facility = facilities.facility(town.id(), room.facilityId()).map(x -> x.name()).orElse("");
        jp.kominkan.cloud.receipt.RefundNotice notice;
        try {
            notice = new jp.kominkan.cloud.receipt.RefundNotice(
                "K-" + f.id().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT),
                p.receiptNumber().or(p::providerRef).orElse(p.id().toString()), account.name(),
                facility + " " + room.name() + " 使用料", p.amount(), f.ratePercent(), f.amount(), p.amount() - f.amount(),
                reason(f.reason()), LocalDateTime.ofInstant(f.createdAt(), town.zone()).toLocalDate(),
                new UsePeriod(LocalDateTime.ofInstant(r.range().start(), town.zone()),
                        LocalDateTime.ofInstant(r.range().end(), town.zone())),
                new Issuer(town.name(), facility), method(p),
                f.providerRef().<HandledBy>map(HandledBy.Provider::new).orElse(new HandledBy.Clerk("窓口")));
        } catch (IllegalArgumentException e) {
            // A refund that is not a whole rate of one payment (a surplus given back): no notice form fits it.
            throw Problem.notFoundWith("refund-notice-unavailable", "This refund has no refund notice; ask the facility.",
                    "この還付には還付通知書がありません。施設にお問い合わせください。");
        }
        sendPdf(res, notices.render(notice), "refund-" + f.id().toString().substring(0, 8));
    }

    /**
     * The receipt's 内訳: the booking's itemised fee when this payment paid all of it (the usual case), else one
     * line for what was received.
     */
    private List<Receipt.Line> receiptLines(Reservation r, Payment p, Room room) {
        return bookings.fee(r).filter(q -> q.total() == p.amount() && q.lines().size() <= Receipt.MAX_LINES)
                .map(q -> q.lines().stream().map(l -> new Receipt.Line(l.labelJa(), l.yen())).toList())
                .orElse(List.of(new Receipt.Line(room.name() + " 使用料", p.amount())));
    }

    private static String reason(String cause) {
        return switch (cause) {
            case "USER" -> "利用者の都合による取消";
            case "USER_WITH_CAUSE" -> "正当な理由による取消";
            case "FORCE_MAJEURE" -> "天災その他の不可抗力による取消";
            case "CITY" -> "施設・市の都合による取消";
            case "LATE_PAYMENT" -> "予約の失効・取消の後に入金されたため全額を還付";
            case "OVERPAID" -> "お支払いが料金を超えたため差額を還付";
            case "REDUCTION_PENDING" -> "減免の審査中に入金されたため全額を還付（審査後にお支払いください）";
            default -> "取消";
        };
    }

    private static PaymentMethod method(Payment p) {
        return switch (p.method()) {
            case CASH -> PaymentMethod.CASH;
            case CARD -> PaymentMethod.CARD;
            case KONBINI -> PaymentMethod.KONBINI;
        };
    }

    private static void sendPdf(ServerResponse res, byte[] pdf, String name) {
        res.headers().set(HeaderNames.CONTENT_TYPE, "application/pdf");
        res.headers().set(HeaderNames.create("Content-Disposition"), "attachment; filename=\"" + name + ".pdf\"");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.send(pdf);
    }
}
