package jp.kominkan.cloud;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.pki.BrokerFiles;
import jp.kominkan.cloud.pki.DeviceCredentials;
import jp.kominkan.cloud.pki.DeviceNames;

/**
 * {@code kominkan-cloud pki …}: what an operator runs against the configured database and keys
 * folder to set up the door network (docs/broker.md):
 * <pre>
 * pki broker --out DIR --host mqtt.city.example.lg.jp [--host …]   the broker's certificate, CA, CRL, ACL
 * pki device --door DOOR --kind keypad|lock --out DIR              a Wi-Fi device's certificate and key
 * pki revoke --name keypad.DOOR                                    revoke a device's certificates (CRL rewritten)
 * </pre>
 */
final class PkiCommand {

    private PkiCommand() {
    }

    static int run(String[] args, Config config) {
        if (args.length < 2 || !List.of("broker", "device", "revoke").contains(args[1])) {
            return usage("Say what to do: pki broker, pki device or pki revoke.");
        }
        List<String> hosts = new ArrayList<>();
        Optional<String> name = Optional.empty();
        Optional<Path> out = Optional.empty();
        Optional<String> door = Optional.empty();
        String kind = "keypad";
        for (int i = 2; i < args.length; i++) {
            if (i + 1 >= args.length) {
                return usage(args[i] + " needs a value.");
            }
            String value = args[++i];
            switch (args[i - 1]) {
                case "--out" -> out = Optional.of(Path.of(value));
                case "--host" -> hosts.add(value);
                case "--door" -> door = Optional.of(value);
                case "--kind" -> kind = value;
                case "--name" -> name = Optional.of(value);
                case "--config" -> { }
                default -> {
                    return usage("Unknown option " + args[i - 1] + ".");
                }
            }
        }
        if (out.isEmpty() && !args[1].equals("revoke")) {
            return usage("Say where to write the files with --out DIR.");
        }
        Clock clock = Clock.systemUTC();
        try (Database database = Database.open(config.get("db"))) {
            Cloud.Services services = Cloud.Services.create(database, config.get("kominkan"), clock);
            if (args[1].equals("revoke")) {
                if (name.isEmpty()) {
                    return usage("Name the device with --name, e.g. --name keypad.999991-door-study.");
                }
                long revoked = services.certificates().revokeDevice(name.get(), clock.instant());
                services.enrollments().refreshBrokerFiles();
                System.out.println("Revoked " + revoked + " certificates of " + name.get()
                        + (config.get("kominkan.mqtt.broker-files").exists() ? "; the broker's CRL is rewritten."
                        : "; run pki broker to write the broker's CRL."));
                return revoked > 0 ? 0 : 1;
            }
            if (args[1].equals("broker")) {
                if (hosts.isEmpty()) {
                    return usage("Name the broker's host (what gateways connect to) with --host.");
                }
                new BrokerFiles(services.ca(), services.certificates(), database.client(), clock).writeAll(out.get(), hosts);
                System.out.println("Wrote ca.pem, broker.pem, broker.key, crl.pem and acl to " + out.get()
                        + "; point Mosquitto at them (docs/broker.md).");
            } else {
                if (door.isEmpty() || !(kind.equals("keypad") || kind.equals("lock"))) {
                    return usage("Name the door with --door and the device with --kind keypad or --kind lock.");
                }
                String device = kind.equals("keypad") ? DeviceNames.keypad(door.get()) : DeviceNames.lock(door.get());
                DeviceCredentials.Files files = DeviceCredentials.issue(services.ca(), services.certificates(), device,
                        out.get(), clock);
                System.out.println("Wrote " + files.certificate() + ", " + files.key() + " and " + files.ca()
                        + " for " + device + "; load them into the device.");
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("pki " + args[1] + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(String problem) {
        System.err.println(problem);
        System.err.println("Usage: kominkan-cloud pki broker --out DIR --host HOST [--host HOST…] [--config FILE]");
        System.err.println("       kominkan-cloud pki device --door DOOR --kind keypad|lock --out DIR [--config FILE]");
        System.err.println("       kominkan-cloud pki revoke --name keypad.DOOR|lock.DOOR [--config FILE]");
        return 2;
    }
}
