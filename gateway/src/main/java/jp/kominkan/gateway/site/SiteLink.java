package jp.kominkan.gateway.site;

import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.door.Lock;
import jp.kominkan.gateway.site.coap.CoapLocks;
import jp.kominkan.gateway.site.coap.CoapSite;
import jp.kominkan.gateway.site.mqtt.LocalBroker;
import jp.kominkan.gateway.site.mqtt.LocalDeviceLink;

/**
 * The gateway's site link: everything the building's devices talk to, and nothing on the
 * internet. Started from the site profile — the CoAP server when a keypad or QR reader uses CoAP,
 * the CoAP lock client when a lock does, the local Mosquitto and the gateway's client on it when
 * any device uses {@code mqtt-local}. The cloud link going down changes nothing here.
 */
public final class SiteLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SiteLink.class.getName());

    private final Optional<CoapSite> coap;
    private final Optional<CoapLocks> coapLocks;
    private final Optional<LocalBroker> broker;
    private final Optional<LocalDeviceLink> mqtt;
    private final UnlockCounters counters;
    private final KeyPair key;

    private SiteLink(Optional<CoapSite> coap, Optional<CoapLocks> coapLocks, Optional<LocalBroker> broker,
                     Optional<LocalDeviceLink> mqtt, UnlockCounters counters, KeyPair key) {
        this.coap = coap;
        this.coapLocks = coapLocks;
        this.broker = broker;
        this.mqtt = mqtt;
        this.counters = counters;
        this.key = key;
    }

    /**
     * @param profile the site profile
     * @param doors   the doors' controllers, by door id
     * @param clock   the clock
     * @return the running site link
     */
    public static SiteLink start(SiteProfile profile, Map<String, DoorController> doors, Clock clock) {
        Map<String, DoorController> keypads = new HashMap<>();
        Map<String, DoorController> readers = new HashMap<>();
        Map<String, DoorController> locks = new HashMap<>();
        List<SiteProfile.Device> coapDevices = new ArrayList<>();
        List<SiteProfile.Lock.Coap> coapLockList = new ArrayList<>();
        Map<String, byte[]> passwords = new HashMap<>();
        Map<String, byte[]> lockSecrets = new HashMap<>();
        for (SiteProfile.Door door : profile.doors()) {
            DoorController controller = doors.get(door.id());
            for (SiteProfile.Keypad keypad : door.keypads()) {
                switch (keypad) {
                    case SiteProfile.Keypad.Coap c -> {
                        keypads.put(c.device().id(), controller);
                        coapDevices.add(c.device());
                    }
                    case SiteProfile.Keypad.LocalMqtt m -> {
                        keypads.put(m.device().id(), controller);
                        passwords.put(m.device().id(), secret(m.device()));
                    }
                    case SiteProfile.Keypad.Wiegand w -> { }
                }
            }
            for (SiteProfile.QrReader reader : door.qrReaders()) {
                switch (reader) {
                    case SiteProfile.QrReader.Coap c -> {
                        readers.put(c.device().id(), controller);
                        coapDevices.add(c.device());
                    }
                    case SiteProfile.QrReader.LocalMqtt m -> {
                        readers.put(m.device().id(), controller);
                        passwords.put(m.device().id(), secret(m.device()));
                    }
                }
            }
            switch (door.lock()) {
                case SiteProfile.Lock.Coap c -> {
                    locks.put(c.device().id(), controller);
                    coapLockList.add(c);
                }
                case SiteProfile.Lock.LocalMqtt m -> {
                    locks.put(m.device().id(), controller);
                    passwords.put(m.device().id(), secret(m.device()));
                    lockSecrets.put(m.device().id(), secret(m.device()));
                }
                case SiteProfile.Lock.GpioRelay g -> { }
            }
        }
        DeviceInput input = new DeviceInput(keypads, readers);
        LockReports reports = new LockReports(locks);
        UnlockCounters counters = UnlockCounters.open(profile.storage().resolve("unlock-counters.log"), clock);
        KeyPair key = SiteKeys.loadOrCreate(profile.storage().resolve("site-link.key"));
        Optional<CoapSite> coap = Optional.empty();
        Optional<CoapLocks> coapLocks = Optional.empty();
        Optional<LocalBroker> broker = Optional.empty();
        Optional<LocalDeviceLink> mqtt = Optional.empty();
        try {
            if (!coapDevices.isEmpty()) {
                coap = Optional.of(new CoapSite(profile.siteLink().coap(), coapDevices, key, input, clock));
                coap.get().start();
            }
            if (!coapLockList.isEmpty()) {
                coapLocks = Optional.of(new CoapLocks(coapLockList, key, reports, counters, clock));
                coapLocks.get().start();
            }
            if (!passwords.isEmpty()) {
                broker = Optional.of(LocalBroker.start(profile.siteLink().mqtt(), profile.storage(), passwords));
                mqtt = Optional.of(new LocalDeviceLink(broker.get(), input, reports, counters, lockSecrets, clock));
                mqtt.get().start();
            }
        } catch (RuntimeException e) {
            new SiteLink(coap, coapLocks, broker, mqtt, counters, key).close();
            throw e;
        }
        SiteLink link = new SiteLink(coap, coapLocks, broker, mqtt, counters, key);
        LOG.log(Level.INFO, "Site link: " + coapDevices.size() + " CoAP keypads/readers"
                + coap.map(c -> " on UDP " + c.port()).orElse("") + ", " + coapLockList.size() + " CoAP locks, "
                + passwords.size() + " devices on the local broker" + broker.map(b -> " on TCP " + b.port()).orElse("")
                + "; raw public key " + HexFormat.of().formatHex(key.getPublic().getEncoded()));
        return link;
    }

    /**
     * Releases a smart lock on the site link.
     *
     * @param lock   the lock, from the profile
     * @param length how long
     */
    public void release(SiteProfile.Lock lock, Duration length) {
        switch (lock) {
            case SiteProfile.Lock.Coap c -> coapLocks.orElseThrow().lock(c.device().id()).release(length);
            case SiteProfile.Lock.LocalMqtt m -> mqtt.orElseThrow().lock(m.device().id()).release(length);
            case SiteProfile.Lock.GpioRelay g -> throw new IllegalArgumentException("a relay is not on the site link");
        }
    }

    /**
     * @param lock a smart lock from the profile
     * @param link where the started site link will be
     * @return what releases it (resolved when it is used, so doors can be wired before the link starts);
     *         a smart lock reports its own state
     */
    public static Lock deferred(SiteProfile.Lock lock, SiteLink[] link) {
        return Lock.reportingItsState(length -> {
            if (link[0] == null) {
                // A Wiegand code in the moment between wiring the doors and starting the site link.
                LOG.log(Level.WARNING, "A smart lock was to open before the site link had started; not opened");
                return;
            }
            link[0].release(lock, length);
        });
    }

    /** @return the CoAP server, when a device uses it */
    public Optional<CoapSite> coap() {
        return coap;
    }

    /** @return the CoAP lock client, when a lock uses it */
    public Optional<CoapLocks> coapLocks() {
        return coapLocks;
    }

    /** @return the local broker, when a device uses it */
    public Optional<LocalBroker> broker() {
        return broker;
    }

    /** @return the gateway's client on the local broker, when a device uses it */
    public Optional<LocalDeviceLink> mqtt() {
        return mqtt;
    }

    /** @return the gateway's site-link key pair */
    public KeyPair key() {
        return key;
    }

    private static byte[] secret(SiteProfile.Device device) {
        if (device.credential() instanceof SiteProfile.Credential.Secret secret) {
            return secret.bytes();
        }
        throw new IllegalArgumentException("Device " + device.id() + " on the local broker needs a pre-shared key (secret-file)");
    }

    @Override
    public void close() {
        mqtt.ifPresent(LocalDeviceLink::close);
        broker.ifPresent(LocalBroker::close);
        coapLocks.ifPresent(CoapLocks::close);
        coap.ifPresent(CoapSite::close);
        counters.close();
    }
}
