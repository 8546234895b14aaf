package jp.kominkan.gateway.site.coap;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.access.AccessDecision;
import jp.kominkan.gateway.site.DeviceInput;
import jp.kominkan.shared.wire.RejectionLog;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.EmptyMessage;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.interceptors.MessageInterceptor;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionListener;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/**
 * The gateway's CoAP server for the building's keypads and QR readers (Californium over Scandium,
 * DTLS 1.2 only — there is no plain {@code coap://} listener). Each device has its own PSK identity
 * and secret, or its own raw public key; the device is named by the credential it completed the
 * handshake with, never by its payload. Resources only translate: {@code POST /keypad} and
 * {@code POST /qr} go to {@link DeviceInput}, and the answer is 2.04 (open) or 4.03 (stay shut)
 * with {@code {"decision":…}}. Anything else — a bad payload (4.00), too large (4.13), a device
 * posting where it may not (4.01) — is logged in one sanitised line, counted, and changes nothing;
 * so is a failed handshake (a wrong PSK is dropped in silence on the wire, as DTLS requires).
 */
public final class CoapSite implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CoapSite.class.getName());

    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong handshakeFailures = new AtomicLong();
    private final AtomicLong decided = new AtomicLong();
    private final RejectionLog rejections;

    /**
     * @param listener where to listen
     * @param devices  the keypads and QR readers that use CoAP, with their credentials
     * @param own      the gateway's site-link key pair (for devices with raw public keys)
     * @param input    where their messages go
     * @param clock    the clock (for the rejection log)
     */
    public CoapSite(SiteProfile.CoapListener listener, List<SiteProfile.Device> devices, KeyPair own, DeviceInput input,
                    Clock clock) {
        this.rejections = new RejectionLog(LOG, clock);
        Configuration config = CoapSetup.configuration(DtlsConfig.DtlsRole.SERVER_ONLY, devices.size());
        AdvancedMultiPskStore psk = new AdvancedMultiPskStore();
        Map<String, String> byKey = new java.util.HashMap<>();
        List<RawPublicKeyIdentity> trusted = new ArrayList<>();
        for (SiteProfile.Device device : devices) {
            switch (device.credential()) {
                case SiteProfile.Credential.Secret secret -> psk.setKey(device.id(), secret.bytes());
                case SiteProfile.Credential.RawPublicKey rpk -> {
                    byKey.put(HexFormat.of().formatHex(rpk.subjectPublicKeyInfo()), device.id());
                    trusted.add(new RawPublicKeyIdentity(CoapSetup.publicKey(rpk.subjectPublicKeyInfo())));
                }
            }
        }
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(listener.bind(), listener.port()))
                .setAdvancedPskStore(psk)
                .setSessionListener(new Handshakes());
        CoapSetup.trustRawPublicKeys(dtls, own, trusted);
        DTLSConnector connector = new DTLSConnector(dtls.build());
        this.endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
        endpoint.addInterceptor(new Refusals());
        this.server = new CoapServer(config);
        server.addEndpoint(endpoint);
        server.add(new DeviceResource("keypad", (device, body) -> input.keypad(device, body), byKey));
        server.add(new DeviceResource("qr", (device, body) -> input.qr(device, body), byKey));
    }

    /** Starts listening. */
    public void start() {
        server.start();
        LOG.log(Level.INFO, "CoAP site link listening on coaps://" + endpoint.getAddress().getHostString() + ":" + port());
    }

    /** @return the UDP port it listens on */
    public int port() {
        return endpoint.getAddress().getPort();
    }

    /** @return requests refused (bad payload, too large, not this device's resource), since start */
    public long rejected() {
        return rejected.get();
    }

    /** @return DTLS handshakes that failed (wrong or unknown PSK, untrusted key), since start */
    public long handshakeFailures() {
        return handshakeFailures.get();
    }

    /** @return codes and passes decided, since start */
    public long decided() {
        return decided.get();
    }

    @Override
    public void close() {
        server.destroy();
    }

    /** The device's message, decided or refused. */
    @FunctionalInterface
    private interface Handler {
        DeviceInput.Outcome handle(String deviceId, byte[] body);
    }

    /** {@code POST /keypad}, {@code POST /qr}: translate to the domain and back. */
    private final class DeviceResource extends CoapResource {
        private final Handler handler;
        private final Map<String, String> byKey;

        DeviceResource(String name, Handler handler, Map<String, String> byKey) {
            super(name);
            this.handler = handler;
            this.byKey = Map.copyOf(byKey);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            String device = device(exchange.advanced().getRequest().getSourceContext().getPeerIdentity());
            if (device == null) {
                exchange.respond(ResponseCode.UNAUTHORIZED, "unknown device", MediaTypeRegistry.TEXT_PLAIN);
                return;
            }
            switch (handler.handle(device, exchange.getRequestPayload())) {
                case DeviceInput.Outcome.Decided d -> {
                    decided.incrementAndGet();
                    exchange.respond(d.decision() instanceof AccessDecision.Granted ? ResponseCode.CHANGED
                            : ResponseCode.FORBIDDEN, DeviceInput.json(d.decision()), MediaTypeRegistry.APPLICATION_JSON);
                }
                case DeviceInput.Outcome.Refused r -> exchange.respond(switch (r.refusal()) {
                    case NOT_THIS_DEVICE -> ResponseCode.UNAUTHORIZED;
                    case TOO_LARGE -> ResponseCode.REQUEST_ENTITY_TOO_LARGE;
                    case MALFORMED -> ResponseCode.BAD_REQUEST;
                    case TOO_MANY -> ResponseCode.TOO_MANY_REQUESTS;
                }, r.message(), MediaTypeRegistry.TEXT_PLAIN);
            }
        }

        private String device(Principal peer) {
            return switch (peer) {
                case PreSharedKeyIdentity psk -> psk.getIdentity();
                case RawPublicKeyIdentity rpk -> byKey.get(HexFormat.of().formatHex(rpk.getSubjectInfo()));
                case null, default -> null;
            };
        }
    }

    /**
     * Counts and logs every refusal on the way out — the resources' own (4.00, 4.01, 4.13) and
     * Californium's (4.13 for a body over {@value CoapSetup#MAX_BODY} bytes, 4.04, 4.05, 4.02) alike;
     * 4.03 is a decision (a door staying shut), not a refusal.
     */
    private final class Refusals implements MessageInterceptor {
        @Override
        public void sendResponse(Response response) {
            ResponseCode code = response.getCode();
            if (code != null && code.isClientError() && code != ResponseCode.FORBIDDEN) {
                rejected.incrementAndGet();
                Principal peer = response.getDestinationContext() == null ? null
                        : response.getDestinationContext().getPeerIdentity();
                rejections.rejected("coaps " + (peer == null ? "?" : peer.getName()), response.getPayloadSize(),
                        code + " " + new String(response.getPayload(), StandardCharsets.UTF_8));
            }
        }

        @Override
        public void sendRequest(Request request) {
        }

        @Override
        public void sendEmptyMessage(EmptyMessage message) {
        }

        @Override
        public void receiveRequest(Request request) {
        }

        @Override
        public void receiveResponse(Response response) {
        }

        @Override
        public void receiveEmptyMessage(EmptyMessage message) {
        }
    }

    /** Counts failed handshakes: the only trace a wrong PSK leaves. */
    private final class Handshakes implements SessionListener {
        @Override
        public void handshakeStarted(Handshaker handshaker) {
        }

        @Override
        public void contextEstablished(Handshaker handshaker, DTLSContext context) {
        }

        @Override
        public void handshakeCompleted(Handshaker handshaker) {
        }

        @Override
        public void handshakeFailed(Handshaker handshaker, Throwable error) {
            handshakeFailures.incrementAndGet();
            rejections.rejected("dtls " + handshaker.getPeerAddress(), 0, "handshake failed: " + error.getMessage());
        }

        @Override
        public void handshakeFlightRetransmitted(Handshaker handshaker, int flight) {
        }
    }
}
