package jp.kominkan.cloud;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a Mosquitto broker on this machine to read its CRL and ACL again (SIGHUP; new connections
 * see the CRL, every client the ACL at once). On separate machines, a file watcher beside the
 * broker does the same (docs/broker.md).
 */
final class BrokerReload {

    private static final System.Logger LOG = System.getLogger(BrokerReload.class.getName());

    private BrokerReload() {
    }

    static void signal(Path pidFile) {
        if (!Files.exists(pidFile)) {
            LOG.log(Level.DEBUG, "No broker pid file " + pidFile + " yet: the broker reads the files when it starts");
            return;
        }
        try {
            String pid = Files.readString(pidFile).strip();
            if (!pid.matches("[0-9]{1,10}")) {
                LOG.log(Level.WARNING, "The broker pid file " + pidFile + " does not hold a process id");
                return;
            }
            Process kill = new ProcessBuilder("kill", "-HUP", pid).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                LOG.log(Level.WARNING, "Could not signal the broker (pid " + pid + ") to reload its CRL and ACL");
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not read the broker pid file " + pidFile + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
