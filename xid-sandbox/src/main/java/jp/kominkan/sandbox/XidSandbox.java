package jp.kominkan.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The demo's stand-in for xID: a real OpenID provider (mock-oauth2-server) on localhost whose login
 * page offers a few demo people, and xID's Userdata API ({@link UserdataRoute}) that gives their verified facts
 * sealed to the municipality's key ({@link BoxKeys}). Its issuer is {@code http://localhost:PORT/xid}. Only {@code ./kominkan demo} starts it; the cloud never contains it.
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
        Path keys = Path.of("xid-box.keys");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--box-keys") && i + 1 < args.length) {
                keys = Path.of(args[++i]);
            } else {
                System.err.println("Usage: kominkan-xid-sandbox [--port N] [--box-keys FILE]");
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
        MockOAuth2Server server = start(port, page, BoxKeys.readOrMake(keys).publicKeyBytes());
        System.out.println("xID sandbox: issuer " + server.issuerUrl("xid") + " (demo people only; never production)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /**
     * The sandbox: an OpenID provider with the given login page, and xID's Userdata API beside it
     * ({@code /v4/verification/userdata}), sealing each person's facts to the municipality's key.
     *
     * @param port            the port, 0 for any
     * @param loginPage       the interactive login page's file
     * @param municipalityKey the municipality's X25519 public key
     * @return the running server
     */
    public static MockOAuth2Server start(int port, Path loginPage, byte[] municipalityKey) {
        return start(port, loginPage, municipalityKey, new Ed25519PrivateKeyParameters(new java.security.SecureRandom()));
    }

    /**
     * The sandbox, signing its Userdata answers with the given key (their {@code public_key} and {@code signature}).
     *
     * @param port            the port, 0 for any
     * @param loginPage       the interactive login page's file
     * @param municipalityKey the municipality's X25519 public key
     * @param signingKey      the sandbox's Ed25519 key
     * @return the running server
     */
    public static MockOAuth2Server start(int port, Path loginPage, byte[] municipalityKey,
                                         Ed25519PrivateKeyParameters signingKey) {
        UserdataRoute[] userdata = new UserdataRoute[1];
        MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(true, loginPage.toString()),
                new DeferredRoute(userdata));
        server.start(InetAddress.getLoopbackAddress(), port);
        userdata[0] = new UserdataRoute(municipalityKey, server.issuerUrl("xid").toString(), signingKey);
        return server;
    }

    /** The Userdata route, made once the server's port (and so its issuer) is known. */
    private record DeferredRoute(UserdataRoute[] route) implements no.nav.security.mock.oauth2.http.Route {
        @Override
        public boolean match(no.nav.security.mock.oauth2.http.OAuth2HttpRequest request) {
            return route[0] != null && route[0].match(request);
        }

        @Override
        public no.nav.security.mock.oauth2.http.OAuth2HttpResponse invoke(
                no.nav.security.mock.oauth2.http.OAuth2HttpRequest request) {
            return route[0].invoke(request);
        }
    }
}
