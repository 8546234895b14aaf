package jp.kominkan.gateway.site.coap;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.door.Lock;
import jp.kominkan.gateway.site.LockReports;
import jp.kominkan.gateway.site.UnlockCommand;
import jp.kominkan.gateway.site.UnlockCounters;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/**
 * The gateway as client of the building's CoAP smart locks, over one DTLS endpoint (each lock
 * its own PSK, bound to its address, or its raw public key): {@code POST /unlock} with an
 * {@link UnlockCommand}, and {@code /state} observed (RFC 7641) and read every 30 s, so its
 * state, battery and tamper switch become door events ({@link LockReports}) and a lock that
 * stops answering is reported offline.
 */
public final class CoapLocks implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CoapLocks.class.getName());
    private static final Duration CHECK = Duration.ofSeconds(30);
    private static final long TIMEOUT_MS = 5_000;

    private final CoapEndpoint endpoint;
    private final Map<String, Target> locks = new HashMap<>();
    private final LockReports reports;
    private final UnlockCounters counters;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AtomicLong unlocksFailed = new AtomicLong();
    private final AtomicLong badReports = new AtomicLong();

    /**
     * @param locks    the CoAP locks
     * @param own      the gateway's site-link key pair (for locks with raw public keys)
     * @param reports  where their reports go
     * @param counters their unlock counters
     * @param clock    the clock
     */
    public CoapLocks(List<SiteProfile.Lock.Coap> locks, KeyPair own, LockReports reports, UnlockCounters counters,
                     Clock clock) {
        this.reports = reports;
        this.counters = counters;
        this.clock = clock;
        Configuration config = CoapSetup.configuration(DtlsConfig.DtlsRole.CLIENT_ONLY, locks.size());
        AdvancedMultiPskStore psk = new AdvancedMultiPskStore();
        List<RawPublicKeyIdentity> trusted = new ArrayList<>();
        for (SiteProfile.Lock.Coap lock : locks) {
            InetSocketAddress address = new InetSocketAddress(lock.address().getHost(), lock.address().getPort());
            switch (lock.device().credential()) {
                case SiteProfile.Credential.Secret secret -> psk.addKnownPeer(address, lock.device().id(), secret.bytes());
                case SiteProfile.Credential.RawPublicKey rpk ->
                        trusted.add(new RawPublicKeyIdentity(CoapSetup.publicKey(rpk.subjectPublicKeyInfo())));
            }
            this.locks.put(lock.device().id(), new Target(lock, macKey(lock.device())));
        }
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config).setAdvancedPskStore(psk);
        CoapSetup.trustRawPublicKeys(dtls, own, trusted);
        this.endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setConnector(new DTLSConnector(dtls.build())).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("coap-locks").daemon().factory());
        this.locks.values().forEach(target -> target.client = client(target.lock, "state"));
    }

    /** Starts observing every lock. */
    public void start() {
        try {
            endpoint.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot open the CoAP client endpoint", e);
        }
        locks.keySet().forEach(id -> timer.execute(() -> observe(id)));
        timer.scheduleWithFixedDelay(this::check, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param lockId a CoAP lock
     * @return what releases it (it reports its own state)
     */
    public Lock lock(String lockId) {
        Target target = locks.get(lockId);
        if (target == null) {
            throw new IllegalArgumentException("No CoAP lock " + lockId);
        }
        return Lock.reportingItsState(length -> unlock(target, length));
    }

    /** @return unlock commands that got no 2.04 from their lock, since start */
    public long unlocksFailed() {
        return unlocksFailed.get();
    }

    /** @return lock reports that were not valid, since start */
    public long badReports() {
        return badReports.get();
    }

    private void unlock(Target target, Duration length) {
        String id = target.lock.device().id();
        UnlockCommand command = new UnlockCommand(id, counters.next(id), clock.instant().plus(UnlockCommand.LIFETIME), length);
        CoapClient client = client(target.lock, "unlock");
        client.post(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                client.shutdown();
                if (!isFrom(target, response)) {
                    unlocksFailed.incrementAndGet();
                    LOG.log(Level.WARNING, "An answer for lock " + id + " came from another device; ignored");
                } else if (!response.isSuccess()) {
                    unlocksFailed.incrementAndGet();
                    LOG.log(Level.WARNING, "Lock " + id + " refused an unlock: " + response.getCode());
                }
            }

            @Override
            public void onError() {
                client.shutdown();
                unlocksFailed.incrementAndGet();
                LOG.log(Level.WARNING, "Lock " + id + " did not answer an unlock");
                reports.unreachable(id);
            }
        }, command.encode(target.macKey), MediaTypeRegistry.APPLICATION_JSON);
    }

    private void observe(String id) {
        Target target = locks.get(id);
        synchronized (target) {
            if (target.relation != null && !target.relation.isCanceled()) {
                return;
            }
            target.relation = target.client.observe(new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    accept(id, response);
                }

                @Override
                public void onError() {
                    reports.unreachable(id);
                }
            });
        }
    }

    /** Every 30 s: read each lock's state (a lock that rebooted has forgotten its observers) and observe again. */
    private void check() {
        for (Map.Entry<String, Target> entry : locks.entrySet()) {
            String id = entry.getKey();
            CoapClient client = client(entry.getValue().lock, "state");
            client.get(new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    client.shutdown();
                    accept(id, response);
                    Target target = entry.getValue();
                    synchronized (target) {
                        if (target.relation != null && target.relation.isCanceled()) {
                            target.relation = null;
                        }
                    }
                    observe(id);
                }

                @Override
                public void onError() {
                    client.shutdown();
                    reports.unreachable(id);
                }
            });
        }
    }

    private void accept(String id, CoapResponse response) {
        if (!isFrom(locks.get(id), response)) {
            badReports.incrementAndGet();
            LOG.log(Level.WARNING, "A state report for lock " + id + " came from another device; ignored");
            return;
        }
        if (!response.isSuccess()) {
            badReports.incrementAndGet();
            LOG.log(Level.WARNING, "Lock " + id + " answered " + response.getCode() + " for its state");
            return;
        }
        try {
            reports.report(id, response.getPayload());
        } catch (RuntimeException e) {
            badReports.incrementAndGet();
            LOG.log(Level.WARNING, "Lock " + id + " sent a bad state report: "
                    + jp.kominkan.shared.wire.LogText.safe(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Whether an answer came from the lock itself — its PSK identity, or its own raw public key —
     * and not from another device of the site that answered from its address.
     */
    private static boolean isFrom(Target target, CoapResponse response) {
        java.security.Principal peer = response.advanced().getSourceContext() == null ? null
                : response.advanced().getSourceContext().getPeerIdentity();
        return switch (target.lock.device().credential()) {
            case SiteProfile.Credential.Secret secret -> peer instanceof org.eclipse.californium.elements.auth.PreSharedKeyIdentity psk
                    && psk.getIdentity().equals(target.lock.device().id());
            case SiteProfile.Credential.RawPublicKey rpk -> peer instanceof RawPublicKeyIdentity key
                    && java.util.Arrays.equals(key.getSubjectInfo(), rpk.subjectPublicKeyInfo());
        };
    }

    private CoapClient client(SiteProfile.Lock.Coap lock, String path) {
        CoapClient client = new CoapClient(lock.address().resolve("/" + path));
        client.setEndpoint(endpoint);
        client.setTimeout(TIMEOUT_MS);
        return client;
    }

    private static byte[] macKey(SiteProfile.Device device) {
        return switch (device.credential()) {
            case SiteProfile.Credential.Secret secret -> secret.bytes();
            // No shared secret: DTLS with the lock's own key authenticates; the MAC then only checks integrity.
            case SiteProfile.Credential.RawPublicKey rpk -> rpk.subjectPublicKeyInfo();
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        locks.values().forEach(target -> {
            if (target.relation != null) {
                target.relation.proactiveCancel();
            }
            target.client.shutdown();
        });
        endpoint.destroy();
    }

    private static final class Target {
        final SiteProfile.Lock.Coap lock;
        final byte[] macKey;
        CoapClient client;
        CoapObserveRelation relation;

        Target(SiteProfile.Lock.Coap lock, byte[] macKey) {
            this.lock = lock;
            this.macKey = macKey;
        }
    }
}
