package jp.kominkan.gateway.support;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jp.kominkan.gateway.site.UnlockCommand;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/**
 * A CoAP smart lock, as a lock maker would build one on Californium: DTLS with its own PSK,
 * {@code POST /unlock} obeying only an {@link UnlockCommand} it can {@linkplain UnlockCommand#check
 * check} (its counter above the last obeyed, not expired, MAC right), and an observable
 * {@code GET /state} with its state, battery and tamper switch.
 */
public final class CoapLockSimulator implements AutoCloseable {

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private final String id;
    private final byte[] secret;
    private final Clock clock;
    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final CoapResource state;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private volatile long lastCounter;
    private volatile int unlocks;
    private volatile String lockState = "locked";
    private volatile int battery = 90;
    private volatile boolean tamper;

    /**
     * @param id     the lock's device id (its PSK identity)
     * @param secret its PSK
     * @param clock  its clock
     */
    public CoapLockSimulator(String id, byte[] secret, Clock clock) {
        this.id = id;
        this.secret = secret.clone();
        this.clock = clock;
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        AdvancedMultiPskStore psk = new AdvancedMultiPskStore();
        psk.setKey(id, secret);
        DTLSConnector connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0)).setAdvancedPskStore(psk).build());
        endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
        server = new CoapServer(config);
        server.addEndpoint(endpoint);
        server.add(new CoapResource("unlock") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                unlock(exchange);
            }
        });
        state = new CoapResource("state") {
            @Override
            public void handleGET(CoapExchange exchange) {
                exchange.respond(ResponseCode.CONTENT, "{\"state\":\"" + lockState + "\",\"battery\":" + battery
                        + ",\"tamper\":" + tamper + "}", MediaTypeRegistry.APPLICATION_JSON);
            }
        };
        state.setObservable(true);
        state.setObserveType(CoAP.Type.CON);
        state.getAttributes().setObservable();
        server.add(state);
        server.start();
    }

    private synchronized void unlock(CoapExchange exchange) {
        byte[] body = exchange.getRequestPayload();
        received.add(body);
        switch (UnlockCommand.check(body, id, secret, lastCounter, clock.instant())) {
            case UnlockCommand.Checked.Obey obey -> {
                lastCounter = obey.command().counter();
                unlocks++;
                exchange.respond(ResponseCode.CHANGED);
                setState("unlocked");
            }
            case UnlockCommand.Checked.Refused r -> {
                refused.add(r.reason());
                exchange.respond(ResponseCode.FORBIDDEN, r.reason());
            }
        }
    }

    /** @return its {@code coaps://} address */
    public URI uri() {
        return URI.create("coaps://127.0.0.1:" + endpoint.getAddress().getPort());
    }

    /** @return commands obeyed */
    public int unlocks() {
        return unlocks;
    }

    /** @return every unlock request's body, in order */
    public List<byte[]> received() {
        return List.copyOf(received);
    }

    /** @return why commands were refused, in order */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /** @param value locked, unlocked or jammed; observers are notified */
    public void setState(String value) {
        lockState = value;
        state.changed();
    }

    /** @param percent the battery; observers are notified */
    public void setBattery(int percent) {
        battery = percent;
        state.changed();
    }

    /** Opens the housing; observers are notified. */
    public void tamper() {
        tamper = true;
        state.changed();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
