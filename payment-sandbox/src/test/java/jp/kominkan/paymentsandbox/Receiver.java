package jp.kominkan.paymentsandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook endpoint for the tests: records every POST (raw body and Stripe-Signature) and answers the statuses
 * queued with {@link #failNext}, then 200. Also a {@code /done} page to stand for the cloud's return_url.
 */
final class Receiver implements AutoCloseable {

    record Hit(String body, String signature, int answered) {
    }

    private final HttpServer server;
    final BlockingQueue<Hit> hits = new LinkedBlockingQueue<>();
    final BlockingQueue<URI> returns = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/hook", ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Integer status = statuses.poll();
            int answer = status == null ? 200 : status;
            hits.add(new Hit(body, ex.getRequestHeaders().getFirst("Stripe-Signature"), answer));
            ex.sendResponseHeaders(answer, -1);
            ex.close();
        });
        server.createContext("/done", ex -> {
            returns.add(ex.getRequestURI());
            byte[] ok = "returned".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        server.start();
    }

    URI hook() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    String done() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/done";
    }

    void failNext(int... codes) {
        for (int c : codes) {
            statuses.add(c);
        }
    }

    /** @return the next delivery the endpoint answered 2xx to, skipping none (failed attempts are returned too) */
    Hit next() throws InterruptedException {
        Hit h = hits.poll(10, TimeUnit.SECONDS);
        if (h == null) {
            throw new AssertionError("no webhook arrived within 10 s");
        }
        return h;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
