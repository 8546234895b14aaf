package jp.kominkan.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.gateway.access.DoorAccess;
import jp.kominkan.gateway.access.GrantStore;
import jp.kominkan.gateway.access.Lockout;
import jp.kominkan.gateway.device.DoorContact;
import jp.kominkan.gateway.device.StrikeRelay;
import jp.kominkan.gateway.device.WiegandKeypad;
import jp.kominkan.gateway.door.DoorController;
import jp.kominkan.gateway.door.Lock;
import jp.kominkan.gateway.door.RemoteUnlocks;
import jp.kominkan.gateway.event.EventJournal;
import jp.kominkan.gateway.mqtt.CloudLink;
import jp.kominkan.gateway.site.SiteLink;
import jp.kominkan.gateway.site.SiteLinkStarter;
import jp.kominkan.shared.event.DoorEvent;
import jp.kominkan.shared.grant.GrantVerifier;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * One running gateway, wired from a site profile: grant store and journal on disk, Pi4J devices,
 * door controllers, the cloud link (MQTT to the cloud) and the site link (the building's CoAP and
 * local-MQTT devices), kept apart. {@link GatewayMain} starts one; tests start one the same way.
 */
public final class Gateway implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final Context pi4j;
    private final GrantStore grants;
    private final EventJournal journal;
    private final CloudLink link;
    private final SiteLinkStarter site;
    private final Map<String, DoorController> doors;
    private final Map<String, StrikeRelay> relays;
    private final List<WiegandKeypad> keypads;

    private Gateway(Context pi4j, GrantStore grants, EventJournal journal, CloudLink link, SiteLinkStarter site,
                    Map<String, DoorController> doors, Map<String, StrikeRelay> relays, List<WiegandKeypad> keypads) {
        this.site = site;
        this.pi4j = pi4j;
        this.grants = grants;
        this.journal = journal;
        this.link = link;
        this.doors = doors;
        this.relays = relays;
        this.keypads = keypads;
    }

    /**
     * @return a Pi4J context on the mock platform (demo and tests; GPIO pins are simulated)
     */
    public static Context mockPlatform() {
        return Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
    }

    /**
     * @param profile the site profile
     * @param pi4j    the Pi4J context (real GPIO on a Pi, the mock platform elsewhere)
     * @param clock   the clock
     * @return the running gateway
     */
    public static Gateway start(SiteProfile profile, Context pi4j, Clock clock) {
        try {
            Files.createDirectories(profile.storage());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + profile.storage(), e);
        }
        Map<String, Ed25519PublicKeyParameters> keys = new HashMap<>();
        profile.trustedKeys().forEach((id, key) -> keys.put(id, new Ed25519PublicKeyParameters(key)));
        GrantVerifier cloudKeys = new GrantVerifier(keys);
        GrantStore grants = GrantStore.open(profile.storage().resolve("grants.log"), cloudKeys);
        EventJournal journal = EventJournal.open(profile.storage());
        Map<String, byte[]> doorKeys = new HashMap<>();
        profile.doors().forEach(door -> doorKeys.put(door.id(), door.key()));
        DoorAccess access = new DoorAccess(grants, doorKeys, new Lockout(), clock);

        Map<String, DoorController> controllers = new HashMap<>();
        Map<String, StrikeRelay> relays = new HashMap<>();
        List<WiegandKeypad> keypads = new ArrayList<>();
        CloudLink[] linkRef = new CloudLink[1];
        SiteLink[] siteRef = new SiteLink[1];
        List<Runnable> afterLink = new ArrayList<>();
        for (SiteProfile.Door door : profile.doors()) {
            Lock lock = switch (door.lock()) {
                case SiteProfile.Lock.GpioRelay relay -> {
                    StrikeRelay strike = new StrikeRelay(pi4j, relay.pin(), door.id() + "-strike");
                    relays.put(door.id(), strike);
                    yield strike::pulse;
                }
                case SiteProfile.Lock.Coap coap -> SiteLink.deferred(coap, siteRef);
                case SiteProfile.Lock.LocalMqtt mqtt -> SiteLink.deferred(mqtt, siteRef);
            };
            Duration heldOpen = door.sensor().map(SiteProfile.Sensor::heldOpen).orElse(Duration.ofMinutes(5));
            DoorController controller = new DoorController(door.id(), access, lock, door.lock().pulse(), heldOpen, journal,
                    event -> linkRef[0].send(event), clock);
            controllers.put(door.id(), controller);
            door.sensor().ifPresent(sensor -> afterLink.add(() -> new DoorContact(pi4j, sensor.pin(), door.id() + "-contact",
                    sensor.debounce(), controller::contactChanged)));
            for (SiteProfile.Keypad keypad : door.keypads()) {
                if (keypad instanceof SiteProfile.Keypad.Wiegand wiegand) {
                    keypads.add(new WiegandKeypad(pi4j, wiegand.d0Pin(), wiegand.d1Pin(), door.id() + "-keypad",
                            controller::codeEntered));
                }
            }
        }
        CloudLink link = new CloudLink(profile.broker().toString(), profile.tls(), profile.gatewayId(), grants, journal,
                cloudKeys, new RemoteUnlocks(controllers), clock);
        linkRef[0] = link;
        // A site link that cannot start (its port taken, Mosquitto failing) never keeps the GPIO doors shut.
        SiteLinkStarter site = SiteLinkStarter.start(profile, controllers, clock, siteRef);
        afterLink.forEach(Runnable::run);
        // A strike is driven low at boot: the door is locked, and the board should say so rather than 不明.
        relays.keySet().forEach(doorId -> controllers.get(doorId).report(DoorEvent.Type.RELOCKED, Optional.of("start")));
        link.start();
        LOG.log(Level.INFO, "Gateway " + profile.gatewayId() + " started: " + controllers.size() + " doors, "
                + grants.size() + " grants, stream at " + grants.durableSeq() + ", " + journal.undeliveredCount()
                + " events to deliver");
        return new Gateway(pi4j, grants, journal, link, site, controllers, relays, keypads);
    }

    /**
     * @param doorId a door
     * @return its controller
     */
    public DoorController door(String doorId) {
        return doors.get(doorId);
    }

    /**
     * @param doorId a door with a strike relay
     * @return the relay
     */
    public StrikeRelay relay(String doorId) {
        return relays.get(doorId);
    }

    /** @return the grant store */
    public GrantStore grants() {
        return grants;
    }

    /** @return the event journal */
    public EventJournal journal() {
        return journal;
    }

    /** @return the MQTT link */
    public CloudLink link() {
        return link;
    }

    /**
     * @return the site link (the building's devices)
     * @throws IllegalStateException while it has not started (it is being retried)
     */
    public SiteLink site() {
        return site.current().orElseThrow(() -> new IllegalStateException("The site link has not started yet"));
    }

    /** @return the Pi4J context */
    public Context pi4j() {
        return pi4j;
    }

    @Override
    public void close() {
        link.close();
        site.close();
        keypads.forEach(WiegandKeypad::close);
        doors.values().forEach(DoorController::close);
        relays.values().forEach(StrikeRelay::close);
        grants.close();
        journal.close();
        pi4j.shutdown();
        LOG.log(Level.INFO, "Gateway stopped; strikes de-energised");
    }
}
