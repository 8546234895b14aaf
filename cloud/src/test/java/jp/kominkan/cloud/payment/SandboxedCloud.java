package jp.kominkan.cloud.payment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.paymentsandbox.PaymentSandbox;

/**
 * A real cloud wired to a real payment sandbox over real sockets: the cloud's {@code kominkan.payment.stripe}
 * points at the sandbox, and the sandbox's webhook at the cloud, both signing with one secret. The cloud's
 * clock runs on real time and moves ahead with the sandbox's ({@link #advanceBoth}), since the cloud refuses
 * webhooks dated too far from its own clock. Holds last {@link #HOLD}, so a konbini voucher (due when the
 * hold ends) can be let expire by moving both clocks a few hours.
 */
final class SandboxedCloud implements AutoCloseable {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String API_KEY = "sk_test_kominkan_sandbox";
    static final Duration HOLD = Duration.ofHours(3);
    static final String VISA = "4242424242424242";
    static final String DECLINED = "4000000000000002";
    private static final String WEBHOOK = "/api/v1/payments/stripe/webhook";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    final MutableClock clock = MutableClock.ticking();
    final String webhookSecret = "whsec_test_" + UUID.randomUUID().toString().replace("-", "");
    final PaymentSandbox sandbox;
    final Cloud cloud;
    final Api api;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    final long townId;
    /** A facility of its own, without a refund schedule: cancellations follow the default one. */
    final long facility;

    private SandboxedCloud(TestDatabases.Kind kind) throws IOException {
        int port = TestCloud.freePort();
        sandbox = PaymentSandbox.start(PaymentSandbox.Options.defaults().withPort(0)
                .withWebhooks(List.of(URI.create("http://127.0.0.1:" + port + WEBHOOK)), webhookSecret)
                .withRetries(Duration.ofMillis(50), 5));
        cloud = TestCloud.start(TestDatabases.fresh(kind), clock, true, Map.of(
                "server.port", Integer.toString(port),
                "kominkan.hold-duration", HOLD.toString(),
                "kominkan.payment.stripe.api-base", sandbox.apiBase(),
                "kominkan.payment.stripe.api-key", API_KEY,
                "kominkan.payment.stripe.webhook-secret", webhookSecret));
        api = new Api(http, cloud.port());
        townId = Sql.longValue(db().execute().get("select id from municipality where code = ?", DemoData.CODE)
                .orElseThrow(), "id");
        facility = Sql.inTransaction(db(), tx -> {
            tx.insert("""
                    insert into facility (municipality_id, name, name_kana, address, facility_type, description, access_notes)
                    values (?, '試験会館', 'シケンカイカン', '試験町1', 'community-center', '決済の試験用', '')""", townId);
            return Sql.longValue(tx.get("select max(id) as id from facility where municipality_id = ?", townId)
                    .orElseThrow(), "id");
        });
    }

    /**
     * @param kind the database
     * @return a running cloud and sandbox
     */
    static SandboxedCloud start(TestDatabases.Kind kind) {
        try {
            return new SandboxedCloud(kind);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cloud.close();
        sandbox.close();
    }

    DbClient db() {
        return cloud.database().client();
    }

    // ---- people ---------------------------------------------------------------------------------

    /** @return a fresh session of the demo resident */
    String resident() {
        return api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
    }

    /** @return a fresh session of the demo town's main administrator */
    String staff() {
        return api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    /** @return a session of a newly registered resident */
    String anotherResident() {
        String email = "other-" + UUID.randomUUID() + "@example.jp";
        Api.Response created = api.post("/api/v1/accounts", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\",\"name\":\"別の 住民\"}").send();
        if (created.status() != 201) {
            throw new AssertionError("registration failed: " + created);
        }
        return api.login(email, "correct horse battery");
    }

    // ---- rooms and bookings ---------------------------------------------------------------------

    /**
     * A new room of the test facility open every day around the clock, priced by the hour.
     *
     * @param yenPerHour the price, residents and others alike
     * @return its id
     */
    long givenPaidRoom(int yenPerHour) {
        return givenRoom("有料室 " + UUID.randomUUID(), yenPerHour, List.of(DayOfWeek.values()), 0, 24 * 60);
    }

    /**
     * @param name     the room's name
     * @param yen      its hourly price
     * @param days     open weekdays
     * @param opens    opening minute
     * @param closes   closing minute
     * @return its id
     */
    long givenRoom(String name, int yen, List<DayOfWeek> days, int opens, int closes) {
        return Sql.inTransaction(db(), tx -> DemoData.room(tx, townId, facility, name, 500, 120, yen, yen, days,
                opens, closes));
    }

    /** @return today in Tokyo by the cloud's clock */
    LocalDate today() {
        return clock.instant().atZone(TOKYO).toLocalDate();
    }

    static ZonedDateTime at(LocalDate day, String time) {
        return day.atTime(LocalTime.parse(time)).atZone(TOKYO);
    }

    /**
     * Books as a resident.
     *
     * @param token the resident
     * @param room  the room
     * @param day   the day
     * @param from  start, HH:MM
     * @param to    end, HH:MM
     * @param extra more JSON fields, e.g. {@code "equipment":{"projector":1}}, or empty
     * @return the answer
     */
    Api.Response book(String token, long room, LocalDate day, String from, String to, String extra) {
        return api.post("/api/v1/reservations", bookingBody(room, day, from, to, extra)).token(token)
                .header("Idempotency-Key", UUID.randomUUID().toString()).send();
    }

    static String bookingBody(long room, LocalDate day, String from, String to, String extra) {
        return "{\"roomId\":" + room + ",\"start\":\"" + at(day, from).toOffsetDateTime() + "\",\"end\":\""
                + at(day, to).toOffsetDateTime() + "\",\"purpose\":\"test\",\"attendees\":5"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Books and expects a held reservation; answers its id. */
    UUID held(String token, long room, LocalDate day, String from, String to) {
        Api.Response booked = book(token, room, day, from, to, "");
        if (booked.status() != 201 || !booked.json().get("status").asText().equals("held")) {
            throw new AssertionError("not held: " + booked);
        }
        return UUID.fromString(booked.json().get("id").asText());
    }

    /** @return the reservation's row: status, amount, cancellation_fee, hold_expires_at, fee_quote */
    Map<String, Object> reservation(UUID id) {
        return db().execute().get("select status, amount, cancellation_fee, hold_expires_at, fee_quote, payment_method"
                + " from reservation where id = ?", id).map(row -> {
                    Map<String, Object> columns = new LinkedHashMap<>();
                    for (String c : List.of("status", "amount", "cancellation_fee", "hold_expires_at", "fee_quote",
                            "payment_method")) {
                        columns.put(c, Sql.value(row, c).orElse(null));
                    }
                    return columns;
                }).orElseThrow();
    }

    String status(UUID id) {
        return (String) reservation(id).get("status");
    }

    /** @return kind:amount of the reservation's ledger entries, oldest first */
    List<String> ledger(UUID id) {
        return Sql.list(db().execute().query("select kind, amount from ledger_entry where reservation_id = ? order by id",
                id), row -> Sql.text(row, "kind") + ":" + Sql.longValue(row, "amount"));
    }

    /** @return the reservation's payments as method:status:amount */
    List<String> payments(UUID id) {
        return Sql.list(db().execute().query("select method, status, amount from payment where reservation_id = ?"
                + " order by created_at, id", id), row -> Sql.text(row, "method") + ":" + Sql.text(row, "status") + ":"
                + Sql.longValue(row, "amount"));
    }

    /** @return the reservation's refunds as status:amount:rate% */
    List<String> refunds(UUID id) {
        return Sql.list(db().execute().query("select status, amount, rate_percent from refund where reservation_id = ?"
                + " order by created_at, id", id), row -> Sql.text(row, "status") + ":" + Sql.longValue(row, "amount")
                + ":" + Sql.integer(row, "rate_percent"));
    }

    /** @return the provider's id of the reservation's newest online payment */
    String intentOf(UUID reservation) {
        return db().execute().get("select provider_ref from payment where reservation_id = ? and provider = 'stripe'"
                + " order by created_at desc, id desc", reservation).map(row -> Sql.text(row, "provider_ref")).orElseThrow();
    }

    /** @return the provider's id of the reservation's refund */
    String refundRefOf(UUID reservation) {
        return db().execute().get("select provider_ref from refund where reservation_id = ? and provider_ref is not null",
                reservation).map(row -> Sql.text(row, "provider_ref")).orElseThrow();
    }

    /**
     * Every row the money side and bookings keep, in a stable order: what a refused webhook must not change.
     *
     * @param tables the tables
     * @return their rows as text
     */
    List<String> rows(String... tables) {
        List<String> rows = new ArrayList<>();
        for (String table : tables) {
            Sql.list(db().execute().query("select * from " + table), row -> {
                StringBuilder text = new StringBuilder(table);
                row.forEach(column -> text.append(' ').append(column.name()).append('=')
                        .append(Sql.value(row, column.name()).orElse(null)));
                return text.toString();
            }).stream().sorted().forEach(rows::add);
        }
        return rows;
    }

    // ---- paying ---------------------------------------------------------------------------------

    /** Starts an online payment as the resident; answers the started payment. */
    JsonNode startPayment(String token, UUID reservation, String method) {
        Api.Response started = api.post("/api/v1/reservations/" + reservation + "/payments",
                "{\"method\":\"" + method + "\"}").token(token).send();
        if (started.status() != 201) {
            throw new AssertionError("payment not started: " + started);
        }
        return started.json();
    }

    /** @return the status answering a start of an online payment */
    int startPaymentStatus(String token, UUID reservation, String method) {
        return api.post("/api/v1/reservations/" + reservation + "/payments", "{\"method\":\"" + method + "\"}")
                .token(token).send().status();
    }

    /**
     * Enters a card on the sandbox's hosted page the cloud sent the resident to, as a browser would: the page's
     * form, posted with its hidden fields.
     *
     * @param cardPage the page
     * @param number   the card number
     * @return the page's 303 Location
     */
    String payOnCardPage(String cardPage, String number) {
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(cardPage)).GET().build());
        if (page.statusCode() != 200) {
            throw new AssertionError("card page " + page.statusCode() + ": " + page.body());
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_secret", hidden(page.body(), "client_secret"));
        form.put("return_url", hidden(page.body(), "return_url"));
        form.put("card_number", number);
        form.put("exp", "12/34");
        form.put("cvc", "123");
        String action = page.body().replaceFirst("(?s).*<form method=\"post\" action=\"([^\"]+)\".*", "$1");
        HttpResponse<String> paid = send(HttpRequest.newBuilder(URI.create(sandbox.apiBase() + action))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        urlEncoded(form))).build());
        if (paid.statusCode() != 303) {
            throw new AssertionError("card form answered " + paid.statusCode() + ": " + paid.body());
        }
        return paid.headers().firstValue("Location").orElseThrow();
    }

    private static String hidden(String html, String name) {
        String marker = "name=\"" + name + "\" value=\"";
        int at = html.indexOf(marker);
        if (at < 0) {
            throw new AssertionError("no hidden " + name + " on the card page");
        }
        return html.substring(at + marker.length(), html.indexOf('"', at + marker.length()))
                .replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">");
    }

    private static String urlEncoded(Map<String, String> form) {
        List<String> pairs = new ArrayList<>();
        form.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    // ---- the sandbox's controls -----------------------------------------------------------------

    /**
     * @param path e.g. {@code /_sandbox/konbini/pi_…/pay}
     * @return the sandbox's JSON answer
     */
    JsonNode sandboxPost(String path) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(sandbox.apiBase() + path))
                .header("Authorization", "Bearer " + API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build());
        if (answer.statusCode() != 200) {
            throw new AssertionError("sandbox " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return json(answer.body());
    }

    JsonNode sandboxGet(String path) {
        return json(sandboxGetRaw(path));
    }

    /** @return the sandbox's answer to a GET, exactly as sent (an event's body as it was delivered) */
    String sandboxGetRaw(String path) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(sandbox.apiBase() + path))
                .header("Authorization", "Bearer " + API_KEY).GET().build());
        if (answer.statusCode() != 200) {
            throw new AssertionError("sandbox " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    /**
     * Moves the sandbox's clock and the cloud's by the same amount.
     *
     * @param by how far
     */
    void advanceBoth(Duration by) {
        // The cloud's first: the sandbox signs what its move causes with its new time at once.
        clock.advance(by);
        sandboxPost("/_sandbox/clock/advance?seconds=" + by.toSeconds());
    }

    /**
     * @param intent a PaymentIntent
     * @param type   an event type
     * @return whether the sandbox has delivered such an event about it and the cloud took it (2xx)
     */
    boolean delivered(String intent, String type) {
        for (JsonNode d : sandboxGet("/_sandbox/deliveries").get("data")) {
            if (intent.equals(d.path("payment_intent").asText()) && type.equals(d.path("type").asText())
                    && "delivered".equals(d.path("outcome").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the sandbox has nothing left to deliver: every attempt so far delivered or given up. */
    void awaitDeliveries() {
        eventually("the sandbox's webhooks delivered", () -> {
            JsonNode events = sandboxGet("/v1/events?limit=100").get("data");
            JsonNode deliveries = sandboxGet("/_sandbox/deliveries").get("data");
            for (JsonNode event : events) {
                boolean done = false;
                for (JsonNode d : deliveries) {
                    if (d.get("event").asText().equals(event.get("id").asText())
                            && (d.get("outcome").asText().equals("delivered") || d.get("outcome").asText().equals("failed"))) {
                        done = true;
                    }
                }
                if (!done) {
                    return false;
                }
            }
            return true;
        });
    }

    // ---- webhooks we sign ourselves -------------------------------------------------------------

    /**
     * A {@code Stripe-Signature} header as Stripe makes it: HMAC-SHA256 keyed with the whole secret over
     * {@code t + "." + body} (docs.stripe.com/webhooks/signature).
     *
     * @param timestamp the {@code t=} value as written
     * @param body      the exact body
     * @param secret    the signing secret
     * @return the header
     */
    static String signature(String timestamp, String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return now by the cloud's clock, in Unix seconds as a webhook's {@code t=} */
    String cloudNow() {
        return Long.toString(clock.instant().getEpochSecond());
    }

    /**
     * An event envelope as the sandbox (and Stripe) writes it.
     *
     * @param id     evt_…
     * @param type   e.g. payment_intent.succeeded
     * @param object the data object's JSON
     * @return the body
     */
    static String event(String id, String type, String object) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"" + PaymentSandbox.DEFAULT_API_VERSION
                + "\",\"created\":" + Instant.now().getEpochSecond() + ",\"data\":{\"object\":" + object
                + "},\"livemode\":false,\"pending_webhooks\":1,\"request\":{\"id\":null,\"idempotency_key\":null},"
                + "\"type\":\"" + type + "\"}";
    }

    /**
     * @param body      the body
     * @param signature the Stripe-Signature header, or null for none
     * @return the cloud's answer
     */
    Api.Response postWebhook(String body, String signature) {
        Api.Call call = api.post(WEBHOOK, body);
        if (signature != null) {
            call.header("Stripe-Signature", signature);
        }
        return call.send();
    }

    // ---- waiting --------------------------------------------------------------------------------

    /**
     * Waits until a condition holds, checking it every 20 ms, for up to {@link #PATIENCE}.
     *
     * @param what      what is awaited, for the failure
     * @param condition the condition
     */
    static void eventually(String what, BooleanSupplier condition) {
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("Waited " + PATIENCE.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
