package jp.kominkan.paymentsandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Stripe that the official stripe-java client talks to unchanged: PaymentIntents (card and
 * konbini), refunds, events, signed webhooks from an outbox, a hosted card page and konbini voucher, and test
 * controls under {@code /_sandbox}. For the demo and the tests only; the cloud never contains it.
 * docs/payment-sandbox.md says what of Stripe's protocol it follows.
 */
public final class PaymentSandbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PaymentSandbox.class.getName());

    /** The API version stripe-java 29.5.0 pins; used when a request sends no {@code Stripe-Version}. */
    public static final String DEFAULT_API_VERSION = "2025-08-27.basil";

    /**
     * @param port 0 for any free port
     * @param publicUrl the base of the hosted pages' links; null for {@code http://bind:port}
     * @param webhooks where events are POSTed
     * @param firstRetry the wait before the second delivery attempt (it doubles after each failure)
     * @param maxAttempts delivery attempts per event and endpoint before giving up
     */
    public record Options(int port, String bind, String apiKey, String apiVersion, List<URI> webhooks,
            String webhookSecret, String publicUrl, Duration firstRetry, int maxAttempts) {

        public static Options defaults() {
            return new Options(8090, "127.0.0.1", "sk_test_kominkan_sandbox", DEFAULT_API_VERSION, List.of(), null, null,
                    Duration.ofSeconds(2), 10);
        }

        public Options withPort(int p) {
            return new Options(p, bind, apiKey, apiVersion, webhooks, webhookSecret, publicUrl, firstRetry, maxAttempts);
        }

        public Options withWebhooks(List<URI> w, String secret) {
            return new Options(port, bind, apiKey, apiVersion, w, secret, publicUrl, firstRetry, maxAttempts);
        }

        public Options withRetries(Duration first, int attempts) {
            return new Options(port, bind, apiKey, apiVersion, webhooks, webhookSecret, publicUrl, first, attempts);
        }
    }

    private final Options options;
    private final HttpServer server;
    private final SandboxClock clock = new SandboxClock();
    private final Outbox outbox;
    private final Payments payments;
    private final Idempotency idempotency = new Idempotency(clock);
    private final HostedPages pages;
    private final ScheduledExecutorService sweeper;
    private final String webhookSecret;
    private final String publicUrl;
    /** {@code POST /_sandbox/faults}: the next N API POSTs answer this status instead (before or after running). */
    private int faultStatus;
    private int faultCount;
    private boolean faultAfter;

    private PaymentSandbox(Options options) throws IOException {
        this.options = options;
        this.server = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 64);
        int port = server.getAddress().getPort();
        this.publicUrl = options.publicUrl() != null ? options.publicUrl() : "http://" + options.bind() + ":" + port;
        this.webhookSecret = options.webhookSecret() != null ? options.webhookSecret() : "whsec_" + Ids.random(32);
        this.outbox = new Outbox(options.webhooks(), webhookSecret, clock, options.firstRetry(), options.maxAttempts());
        this.payments = new Payments(clock, outbox, publicUrl);
        this.pages = new HostedPages(payments, options.apiVersion());
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "konbini-expiry");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a sandbox; close it to stop. */
    public static PaymentSandbox start(Options options) throws IOException {
        PaymentSandbox sandbox = new PaymentSandbox(options);
        sandbox.server.start();
        sandbox.sweeper.scheduleWithFixedDelay(sandbox::sweep, 1, 1, TimeUnit.SECONDS);
        return sandbox;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the base for {@code StripeClient.builder().setApiBase(..)} */
    public String apiBase() {
        return "http://" + options.bind() + ":" + port();
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        outbox.close();
        server.stop(0);
    }

    private void sweep() {
        try {
            payments.expireOverdue();
            idempotency.sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "expiry sweep failed", e);
        }
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try {
            if (path.startsWith("/v1/") || path.startsWith("/_sandbox/")) {
                api(ex, path);
            } else if (path.startsWith("/pay/") || path.startsWith("/voucher/")) {
                pages.handle(ex, path);
            } else {
                Http.send(ex, 404, "text/plain; charset=utf-8",
                        "Kominkan payment sandbox: a local stand-in for Stripe's API (see docs/payment-sandbox.md).\n");
            }
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.WARNING, "request failed: " + ex.getRequestMethod() + " " + path, e);
            ex.close();
        }
    }

    private void api(HttpExchange ex, String path) throws IOException {
        String requestId = "req_" + Ids.random(14);
        String version = ex.getRequestHeaders().getFirst("Stripe-Version");
        String apiVersion = version == null || version.isBlank() ? options.apiVersion() : version.trim();
        ex.getResponseHeaders().set("Request-Id", requestId);
        ex.getResponseHeaders().set("Stripe-Version", apiVersion);
        String method = ex.getRequestMethod();
        try {
            String apiKey = authenticate(ex);
            Form form = Form.parse(ex.getRequestURI().getRawQuery());
            if (method.equals("POST")) {
                String body = Http.body(ex);
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (!body.isEmpty() && type != null && !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                    throw ApiError.of(400, "invalid_request_error", null, "Invalid request: the body must be "
                            + "application/x-www-form-urlencoded (got " + type + ").");
                }
                form = form.with(Form.parse(body));
            } else if (!method.equals("GET")) {
                throw ApiError.notFound(method, path);
            }
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            if (method.equals("POST") && path.startsWith("/v1/") && key != null) {
                postIdempotently(ex, apiKey, key, method + " " + path + "\n" + form.canonical(), path, form,
                        new Payments.Request(requestId, key, apiVersion));
                return;
            }
            if (method.equals("POST") && path.startsWith("/v1/") && fault(false)) {
                sendFault(ex);
                return;
            }
            Http.json(ex, 200, route(method, path, form, new Payments.Request(requestId, key, apiVersion)));
        } catch (ApiError e) {
            if (e.status == 401) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"Stripe\"");
            }
            Http.json(ex, e.status, e.body());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error on " + method + " " + path, e);
            Http.json(ex, 500, ApiError.of(500, "api_error", null, "An internal error occurred in the payment sandbox: "
                    + e).body());
        }
    }

    private void postIdempotently(HttpExchange ex, String apiKey, String key, String fingerprint, String path,
            Form form, Payments.Request request) throws IOException {
        if (key.length() > 255) {
            throw ApiError.param("idempotency_key_too_long", null, "Idempotency keys may be at most 255 characters.");
        }
        if (fault(false)) {
            sendFault(ex);
            return;
        }
        int status;
        String body;
        synchronized (payments) {
            Idempotency.Stored stored = idempotency.lookup(apiKey, key, fingerprint);
            if (stored != null) {
                ex.getResponseHeaders().set("Idempotent-Replayed", "true");
                ex.getResponseHeaders().set("Original-Request", stored.requestId());
                Http.json(ex, stored.status(), stored.body());
                return;
            }
            try {
                body = route("POST", path, form, request);
                status = 200;
                idempotency.store(apiKey, key, fingerprint, status, body, request.id());
            } catch (ApiError e) {
                status = e.status;
                body = e.body();
                if (!e.validation) {
                    idempotency.store(apiKey, key, fingerprint, status, body, request.id());
                }
            }
        }
        if (fault(true)) {
            sendFault(ex);
            return;
        }
        Http.json(ex, status, body);
    }

    private synchronized boolean fault(boolean after) {
        if (faultCount > 0 && faultAfter == after) {
            faultCount--;
            return true;
        }
        return false;
    }

    private void sendFault(HttpExchange ex) throws IOException {
        int status;
        synchronized (this) {
            status = faultStatus;
        }
        Http.json(ex, status, ApiError.of(status, "api_error", null,
                "Injected by POST /_sandbox/faults: the payment sandbox answered " + status + " on purpose.").body());
    }

    private String authenticate(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiError.auth("You did not provide an API key. You need to provide your API key in the Authorization "
                    + "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }
        String given = null;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).trim();
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                given = colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                given = "";
            }
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                options.apiKey().getBytes(StandardCharsets.UTF_8))) {
            String shown = given == null || given.length() < 4 ? "" : given.substring(0, Math.min(8, given.length()))
                    + "****" + given.substring(given.length() - 4);
            throw ApiError.auth("Invalid API Key provided: " + shown);
        }
        return given;
    }

    private static final Pattern PI = Pattern.compile("/v1/payment_intents/([^/]+)(/confirm|/cancel)?");
    private static final Pattern ONE = Pattern.compile("/v1/(refunds|charges|payment_methods|events)/([^/]+)");
    private static final Pattern SANDBOX = Pattern.compile("/_sandbox/(konbini|refunds|events)/([^/]+)/(pay|complete|fail|resend)");

    private String route(String method, String path, Form form, Payments.Request request) {
        boolean post = method.equals("POST");
        if (path.equals("/v1/payment_intents")) {
            return Json.write(post ? payments.createIntent(form, request) : payments.listIntents(form));
        }
        Matcher m = PI.matcher(path);
        if (m.matches()) {
            String id = m.group(1);
            if (m.group(2) == null && !post) {
                return Json.write(payments.retrieveIntent(id, form));
            }
            if ("/confirm".equals(m.group(2)) && post) {
                return Json.write(payments.confirmIntent(id, form, request));
            }
            if ("/cancel".equals(m.group(2)) && post) {
                return Json.write(payments.cancelIntent(id, form, request));
            }
            throw ApiError.notFound(method, path);
        }
        if (path.equals("/v1/refunds") && post) {
            return Json.write(payments.createRefund(form, request));
        }
        if (path.equals("/v1/events") && !post) {
            return Json.write(payments.listEvents(form));
        }
        m = ONE.matcher(path);
        if (m.matches() && !post) {
            String id = m.group(2);
            return switch (m.group(1)) {
                case "refunds" -> Json.write(payments.retrieveRefund(id, form));
                case "charges" -> Json.write(payments.retrieveCharge(id, form));
                case "payment_methods" -> Json.write(payments.retrieveMethod(id, form));
                default -> {
                    form.only(java.util.Set.of());
                    yield payments.eventJson(id);
                }
            };
        }
        if (path.startsWith("/_sandbox/")) {
            return sandbox(method, path, form, request);
        }
        throw ApiError.notFound(method, path);
    }

    private String sandbox(String method, String path, Form form, Payments.Request request) {
        boolean post = method.equals("POST");
        if (path.equals("/_sandbox/clock")) {
            if (post) {
                throw ApiError.notFound(method, path);
            }
            return clockJson();
        }
        if (path.equals("/_sandbox/clock/advance") && post) {
            Long seconds = form.integer("seconds");
            if (seconds == null || seconds < 0) {
                throw ApiError.param("parameter_missing", "seconds", "Give seconds=N (N ≥ 0) to move the clock forward.");
            }
            clock.advance(seconds);
            payments.expireOverdue();
            return clockJson();
        }
        if (path.equals("/_sandbox/deliveries") && !post) {
            Map<String, Object> list = Json.object();
            list.put("object", "list");
            list.put("data", new ArrayList<Object>(outbox.deliveries(form.str("event"))));
            return Json.write(list);
        }
        if (path.equals("/_sandbox/faults") && post) {
            Long status = form.integer("status");
            Long count = form.integer("count");
            String when = form.str("when");
            synchronized (this) {
                faultStatus = status == null ? 503 : status.intValue();
                faultCount = count == null ? 1 : count.intValue();
                faultAfter = "after".equals(when);
            }
            return "{\"status\":" + faultStatus + ",\"count\":" + faultCount + ",\"when\":\""
                    + (faultAfter ? "after" : "before") + "\"}";
        }
        Matcher m = SANDBOX.matcher(path);
        if (m.matches() && post) {
            String id = m.group(2);
            switch (m.group(1) + "/" + m.group(3)) {
                case "konbini/pay" -> {
                    return Json.write(payments.payAtKonbini(id, form.str("store"), request));
                }
                case "refunds/complete" -> {
                    return Json.write(payments.settleRefund(id, true, request));
                }
                case "refunds/fail" -> {
                    return Json.write(payments.settleRefund(id, false, request));
                }
                case "events/resend" -> {
                    Payments.Event event = payments.event(id);
                    String url = form.str("url");
                    int n = outbox.resend(event, url == null ? null : URI.create(url));
                    return "{\"event\":\"" + event.id() + "\",\"queued_for\":" + n + "}";
                }
                default -> throw ApiError.notFound(method, path);
            }
        }
        throw ApiError.notFound(method, path);
    }

    private String clockJson() {
        Map<String, Object> m = Json.object();
        m.put("object", "sandbox_clock");
        m.put("now", clock.unix());
        m.put("offset_seconds", clock.offsetSeconds());
        m.put("iso", clock.now().atZone(Payments.JST).toOffsetDateTime().toString());
        return Json.write(m);
    }

    // ---------------------------------------------------------------- command line

    /**
     * @param args {@code [--port N] [--bind ADDR] [--api-key sk_test_…] [--webhook URL]… [--webhook-secret whsec_… |
     *     --webhook-secret-file F] [--public-url URL] [--api-version V] [--webhook-retry-ms N] [--webhook-attempts N]}
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        Options d = Options.defaults();
        int port = d.port();
        String bind = d.bind();
        String apiKey = d.apiKey();
        String apiVersion = d.apiVersion();
        List<URI> webhooks = new ArrayList<>();
        String secret = null;
        String publicUrl = null;
        long retryMs = d.firstRetry().toMillis();
        int attempts = d.maxAttempts();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                if (v == null) {
                    usage("missing value after " + a);
                }
                i++;
                switch (a) {
                    case "--port" -> port = Integer.parseInt(v);
                    case "--bind" -> bind = v;
                    case "--api-key" -> apiKey = v;
                    case "--api-version" -> apiVersion = v;
                    case "--webhook" -> webhooks.add(webhookUri(v));
                    case "--webhook-secret" -> secret = v;
                    case "--webhook-secret-file" -> secret = Files.readString(Path.of(v)).trim();
                    case "--public-url" -> publicUrl = v;
                    case "--webhook-retry-ms" -> retryMs = Long.parseLong(v);
                    case "--webhook-attempts" -> attempts = Integer.parseInt(v);
                    default -> usage("unknown option " + a);
                }
            }
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
        }
        if (!apiKey.startsWith("sk_test_")) {
            usage("the API key must be a test key (sk_test_…)");
        }
        if (secret != null && !secret.startsWith("whsec_")) {
            usage("the webhook secret must start with whsec_");
        }
        PaymentSandbox sandbox = start(new Options(port, bind, apiKey, apiVersion, webhooks, secret, publicUrl,
                Duration.ofMillis(retryMs), attempts));
        System.out.println("Payment sandbox (Stripe protocol, test mode only): API base " + sandbox.apiBase()
                + ", hosted pages " + sandbox.publicUrl + ", webhooks " + (webhooks.isEmpty() ? "none" : webhooks));
        if (secret == null && !webhooks.isEmpty()) {
            System.out.println("Webhook signing secret (generated): " + sandbox.webhookSecret());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    private static URI webhookUri(String v) {
        URI uri = URI.create(v);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            usage("a webhook URL must be http(s): " + v);
        }
        return uri;
    }

    private static void usage(String problem) {
        System.err.println("kominkan-payment-sandbox: " + problem);
        System.err.println("Usage: java -jar kominkan-payment-sandbox.jar [--port 8090] [--bind 127.0.0.1] "
                + "[--api-key sk_test_…] [--webhook URL]… [--webhook-secret whsec_… | --webhook-secret-file F] "
                + "[--public-url http://127.0.0.1:8090] [--api-version " + DEFAULT_API_VERSION + "] "
                + "[--webhook-retry-ms 2000] [--webhook-attempts 10]");
        System.exit(2);
    }
}
