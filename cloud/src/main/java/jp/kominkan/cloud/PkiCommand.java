package jp.kominkan.cloud;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.pki.BrokerFiles;

/**
 * {@code kominkan-cloud pki …}: what an operator runs against the configured database and keys
 * folder to set up the cloud's broker (docs/broker.md):
 * <pre>
 * pki broker --out DIR --host mqtt.city.example.lg.jp [--host …]   the broker's certificate, CA, CRL, ACL
 * pki revoke --name keypad.DOOR                                    revoke a device certificate of an earlier version
 * </pre>
 * There is no {@code pki device} any more: a building's devices belong to its gateway's site link
 * and never connect to the cloud's broker.
 */
final class PkiCommand {

    /** What {@code pki device} answers now. */
    static final String NO_DEVICE_CERTIFICATES = "pki device is gone: keypads, QR readers and locks now talk only to"
            + " their building's gateway (its site link) and never to the cloud's broker, so the cloud issues no"
            + " device certificates. Set the devices up in the gateway's site profile: docs/gateway.md \"Site link\""
            + " and docs/site-profile.md. Device certificates issued earlier are revoked whenever the cloud writes"
            + " the broker's files (pki broker, or kominkan.mqtt.broker-files).";

    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param out where results go
     * @param err where problems go
     */
    PkiCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static int run(String[] args, Config config) {
        return new PkiCommand(System.out, System.err).dispatch(args, config, Clock.systemUTC());
    }

    int dispatch(String[] args, Config config, Clock clock) {
        if (args.length >= 2 && args[1].equals("device")) {
            err.println(NO_DEVICE_CERTIFICATES);
            return 2;
        }
        if (args.length < 2 || !List.of("broker", "revoke").contains(args[1])) {
            return usage("Say what to do: pki broker or pki revoke.");
        }
        List<String> hosts = new ArrayList<>();
        Optional<String> name = Optional.empty();
        Optional<Path> dir = Optional.empty();
        for (int i = 2; i < args.length; i++) {
            if (i + 1 >= args.length) {
                return usage(args[i] + " needs a value.");
            }
            String value = args[++i];
            switch (args[i - 1]) {
                case "--out" -> dir = Optional.of(Path.of(value));
                case "--host" -> hosts.add(value);
                case "--name" -> name = Optional.of(value);
                case "--config" -> { }
                default -> {
                    return usage("Unknown option " + args[i - 1] + ".");
                }
            }
        }
        if (dir.isEmpty() && args[1].equals("broker")) {
            return usage("Say where to write the files with --out DIR.");
        }
        if (hosts.isEmpty() && args[1].equals("broker")) {
            return usage("Name the broker's host (what gateways connect to) with --host.");
        }
        if (name.isEmpty() && args[1].equals("revoke")) {
            return usage("Name the device with --name, e.g. --name keypad.999991-door-study.");
        }
        try (Database database = Database.open(config.get("db"))) {
            Cloud.Services services = Cloud.Services.create(database, config.get("kominkan"), clock);
            if (args[1].equals("revoke")) {
                long revoked = services.certificates().revokeDevice(name.get(), clock.instant());
                services.enrollments().refreshBrokerFiles();
                if (revoked == 0) {
                    out.println("No unrevoked certificate of " + name.get() + " (device certificates of earlier"
                            + " versions are revoked whenever the cloud writes the broker's files).");
                    return 1;
                }
                out.println("Revoked " + revoked + " certificates of " + name.get()
                        + (services.enrollments().shards().all().stream().anyMatch(s -> s.brokerFiles().isPresent())
                        ? "; the brokers' CRLs are rewritten (brokers elsewhere fetch theirs: cluster/broker-sync.sh)."
                        : "; run pki broker to write the broker's CRL."));
                return 0;
            }
            new BrokerFiles(services.ca(), services.certificates(), clock).writeAll(dir.get(), hosts);
            out.println("Wrote ca.pem, broker.pem, broker.key, crl.pem and acl to " + dir.get()
                    + "; point Mosquitto at them (docs/broker.md).");
            return 0;
        } catch (RuntimeException e) {
            err.println("pki " + args[1] + " failed: " + e.getMessage());
            return 1;
        }
    }

    private int usage(String problem) {
        err.println(problem);
        err.println("Usage: kominkan-cloud pki broker --out DIR --host HOST [--host HOST…] [--config FILE]");
        err.println("       kominkan-cloud pki revoke --name keypad.DOOR|lock.DOOR [--config FILE]");
        return 2;
    }
}
