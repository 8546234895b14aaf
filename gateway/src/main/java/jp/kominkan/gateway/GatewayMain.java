package jp.kominkan.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import jp.kominkan.firmware.profile.ProfileError;
import jp.kominkan.firmware.profile.SiteProfileParser;

/**
 * {@code kominkan gateway --config site.yaml [--mock-gpio]}: runs a building's gateway.
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    /**
     * @param args {@code --config FILE} and optionally {@code --mock-gpio}
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.config.file") == null) {
            try (var in = GatewayMain.class.getResourceAsStream("/logging.properties")) {
                if (in != null) {
                    java.util.logging.LogManager.getLogManager().readConfiguration(in);
                }
            }
        }
        Path config = null;
        boolean mock = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--mock-gpio" -> mock = true;
                default -> {
                    System.err.println("Unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (config == null) {
            System.err.println("Usage: kominkan gateway --config site.yaml [--mock-gpio]");
            System.exit(2);
        }
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println(config + ": cannot read: " + e.getMessage());
            System.exit(1);
            return;
        }
        switch (SiteProfileParser.parse(text)) {
            case SiteProfileParser.Result.Invalid invalid -> {
                for (ProfileError error : invalid.errors()) {
                    System.err.println(error.format(config.toString()));
                }
                System.exit(1);
            }
            case SiteProfileParser.Result.Valid valid -> {
                Context pi4j = mock ? Gateway.mockPlatform() : Pi4J.newAutoContext();
                Gateway gateway = Gateway.start(valid.profile(), pi4j, Clock.systemUTC());
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    gateway.close();
                    stopped.countDown();
                }, "shutdown"));
                stopped.await();
            }
        }
    }
}
