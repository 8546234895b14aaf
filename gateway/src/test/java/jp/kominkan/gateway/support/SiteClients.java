package jp.kominkan.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stock clients a building's devices stand in for: Debian's libcoap client
 * ({@code coap-client-openssl}, DTLS with a PSK) and Mosquitto's {@code mosquitto_pub} /
 * {@code mosquitto_sub} over TLS-PSK on the gateway's own broker. Both are
 * installed by {@code ./kominkan test}.
 */
public final class SiteClients {

    private static final Path COAP_CLIENT = Path.of("/usr/bin/coap-client-openssl");

    private SiteClients() {
    }

    /**
     * Posts over DTLS with a PSK, as a CoAP keypad or QR reader would. libcoap exits 0 on a 4.xx
     * answer, so read the output: it prints the answer's payload, and {@code 4.xx} for a refusal.
     *
     * @param port     the gateway's CoAP port
     * @param identity the PSK identity
     * @param secret   the PSK
     * @param path     {@code keypad} or {@code qr}
     * @param payload  the body
     * @return what the client printed; a handshake that fails prints {@code cannot send CoAP pdu}
     */
    public static Mosquitto.Result coapPost(int port, String identity, String secret, String path, String payload) {
        requireCoapClient();
        try {
            Path body = Files.createTempFile("coap-body", ".txt");
            Files.writeString(body, payload);
            // -B 4: give up after 4 s (a wrong PSK is never answered); -f: the body from a file (any size).
            return Mosquitto.run(List.of(COAP_CLIENT.toString(), "-m", "post", "-B", "4", "-u", identity, "-k", secret,
                    "-f", body.toString(), "coaps://127.0.0.1:" + port + "/" + path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publishes on the gateway's own broker as a device: TLS-PSK with its identity and key (MQTT v5, QoS 1).
     *
     * @param port     the local broker's device port
     * @param identity the device id, or null for a plain connection without TLS (refused)
     * @param key      its pre-shared key
     * @param topic    the topic
     * @param payload  the message
     * @return what mosquitto_pub said ({@code Not authorized} for a topic outside its ACL, a TLS error for a wrong key)
     */
    public static Mosquitto.Result localPublish(int port, String identity, byte[] key, String topic, String payload) {
        List<String> args = new ArrayList<>(List.of("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-q", "1", "-t", topic, "-m", payload));
        if (identity != null) {
            args.addAll(List.of("--psk", hex(key), "--psk-identity", identity));
        }
        return Mosquitto.run(args);
    }

    /**
     * Publishes with a user name and password, plain (the gateway's own loopback listener).
     *
     * @param port     the port
     * @param user     the user
     * @param password its password
     * @param topic    the topic
     * @param payload  the message
     * @return what mosquitto_pub said
     */
    public static Mosquitto.Result passwordPublish(int port, String user, String password, String topic, String payload) {
        return Mosquitto.run(List.of("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", String.valueOf(port), "-q", "1",
                "-u", user, "-P", password, "-t", topic, "-m", payload));
    }

    /**
     * Starts listening on the gateway's own broker as a device would for its answers.
     *
     * @param port     the local broker's device port
     * @param identity the device id
     * @param key      its pre-shared key
     * @param filter   the topic filter
     * @param seconds  how long to listen at most
     * @param count    stop after this many messages
     * @return the running mosquitto_sub; its output holds {@code topic payload} lines
     */
    public static Process localSubscribe(int port, String identity, byte[] key, String filter, int seconds, int count) {
        try {
            return new ProcessBuilder(List.of("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                    String.valueOf(port), "-q", "1", "-v", "-W", String.valueOf(seconds), "-C", String.valueOf(count),
                    "--psk", hex(key), "--psk-identity", identity, "-t", filter)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param key a key
     * @return it in hex, as Mosquitto's {@code --psk} takes it
     */
    public static String hex(byte[] key) {
        return java.util.HexFormat.of().formatHex(key);
    }

    private static void requireCoapClient() {
        if (!Files.isExecutable(COAP_CLIENT)) {
            throw new IllegalStateException("Debian's libcoap client is not installed at " + COAP_CLIENT
                    + "; run the tests with ./kominkan test, which installs libcoap3-bin");
        }
    }
}
