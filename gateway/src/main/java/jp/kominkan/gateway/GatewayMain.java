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
     * @param args {@code --config FILE} and optionally {@code --mock-gpio}, or
     *             {@code enroll --cloud URL --token TOKEN [--dir DIR] [--cloud-ca FILE] [--force]}
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
        if (args.length > 0 && args[0].equals("enroll")) {
            System.exit(enroll(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
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
            System.err.println("Usage: kominkan-gateway --config site.yaml [--mock-gpio]");
            System.err.println("       kominkan-gateway enroll --cloud https://… --token … [--dir DIR] [--cloud-ca FILE] [--force]");
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
        Path base = config.toAbsolutePath().getParent();
        switch (SiteProfileParser.parse(text, base)) {
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

    /** {@code enroll …}: 0 when enrolled, 1 with one sentence on standard error, 2 for a usage error. */
    static int enroll(String[] args) {
        java.net.URI cloud = null;
        String token = null;
        Path dir = Path.of("/var/lib/kominkan-gateway");
        java.util.Optional<Path> cloudCa = java.util.Optional.empty();
        boolean force = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--cloud" -> cloud = java.net.URI.create(value(args, ++i, "--cloud"));
                    case "--token" -> token = value(args, ++i, "--token");
                    // Kept out of the process list and the shell history: a file, or - for standard input.
                    case "--token-file" -> token = readToken(value(args, ++i, "--token-file"));
                    case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
                    case "--cloud-ca" -> cloudCa = java.util.Optional.of(Path.of(value(args, ++i, "--cloud-ca")));
                    case "--force" -> force = true;
                    default -> throw new IllegalArgumentException("Unknown option " + args[i] + ".");
                }
            }
            if (cloud == null || token == null) {
                throw new IllegalArgumentException("Say where the cloud is and give the token: --cloud https://… --token ….");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: kominkan-gateway enroll --cloud https://… --token …|--token-file FILE|- [--dir DIR]"
                    + " [--cloud-ca FILE] [--force]");
            return 2;
        }
        try {
            new jp.kominkan.gateway.enroll.Enrollment(System.out, Clock.systemUTC())
                    .enroll(new jp.kominkan.gateway.enroll.Enrollment.Options(cloud, token, dir, cloudCa, force));
            return 0;
        } catch (jp.kominkan.gateway.enroll.Enrollment.Failure e) {
            System.err.println("Enrollment failed: " + e.getMessage());
            return 1;
        }
    }

    private static String readToken(String source) {
        try {
            String text = source.equals("-") ? new String(System.in.readNBytes(200), StandardCharsets.US_ASCII)
                    : Files.readString(Path.of(source), StandardCharsets.US_ASCII);
            return text.strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the token from " + source + ": " + e.getMessage());
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value.");
        }
        return args[i];
    }
}
