package jp.kominkan.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * The demo's stand-in for xID: a real OpenID provider (mock-oauth2-server) on localhost whose login
 * page offers a few demo people, each with xID-shaped verified facts. Its issuer is
 * {@code http://localhost:PORT/xid}. Only {@code ./kominkan demo} starts it; the cloud never contains it.
 */
public final class XidSandbox {

    private XidSandbox() {
    }

    /**
     * @param args {@code [--port N]}, default 8089
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 8089;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("Usage: kominkan-xid-sandbox [--port N]");
                System.exit(2);
            }
        }
        Path page = Files.createTempFile("xid-sandbox-login", ".html");
        page.toFile().deleteOnExit();
        try (InputStream in = XidSandbox.class.getResourceAsStream("login.html")) {
            if (in == null) {
                throw new IOException("login.html missing from the sandbox jar");
            }
            Files.write(page, in.readAllBytes());
        }
        MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(true, page.toString()));
        server.start(InetAddress.getLoopbackAddress(), port);
        System.out.println("xID sandbox: issuer " + server.issuerUrl("xid") + " (demo people only; never production)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
