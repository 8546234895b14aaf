package jp.kominkan.firmware;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jp.kominkan.firmware.profile.ProfileError;
import jp.kominkan.firmware.profile.SecretFiles;
import jp.kominkan.firmware.profile.SiteProfile;
import jp.kominkan.firmware.profile.SiteProfileParser;

/**
 * The installer's tool. {@code kominkan config validate site.yaml} checks a site profile and
 * prints each problem as {@code file:line:column: setting: message}; {@code kominkan config
 * secrets site.yaml} makes the secret files it names that are missing (owner-only, random) and
 * says which device to set each one on; with {@code --show} it also prints each device's secret,
 * for the installer to type into the device, and nothing else ever does.
 */
public final class ConfigTool {

    private static final String USAGE = "Usage: kominkan config validate SITE.yaml\n"
            + "       kominkan config secrets SITE.yaml [--show]";

    private ConfigTool() {
    }

    /**
     * @param args {@code validate FILE} or {@code secrets FILE [--show]}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args the command line
     * @param out  where results go
     * @param err  where errors go
     * @return the exit status: 0 valid (or secrets made), 1 invalid or not writable, 2 usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean validate = args.length == 2 && args[0].equals("validate");
        boolean secrets = (args.length == 2 || (args.length == 3 && args[2].equals("--show")))
                && args[0].equals("secrets");
        if (!validate && !secrets) {
            err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args[1]);
        Path base = Optional.ofNullable(file.getParent()).orElse(Path.of(""));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return 1;
        }
        return validate ? validate(file, text, base, out, err) : secrets(file, text, base, args.length == 3, out, err);
    }

    private static int validate(Path file, String text, Path base, PrintStream out, PrintStream err) {
        return switch (SiteProfileParser.parse(text, base)) {
            case SiteProfileParser.Result.Valid valid -> {
                out.println(file + ": valid — gateway " + valid.profile().gatewayId() + ", "
                        + valid.profile().doors().size() + " door(s), " + devices(valid.profile()).count()
                        + " site-link device(s)");
                yield 0;
            }
            case SiteProfileParser.Result.Invalid invalid -> problems(file, invalid, err);
        };
    }

    private static int secrets(Path file, String text, Path base, boolean show, PrintStream out, PrintStream err) {
        List<SecretFiles.Reference> created;
        try {
            created = SecretFiles.createMissing(text, base);
        } catch (IOException e) {
            err.println(file + ": cannot create a secret file: " + e.getMessage());
            return 1;
        }
        for (SecretFiles.Reference made : created) {
            out.println(made.kind() == SecretFiles.Kind.DOOR_KEY
                    ? "created " + made.file() + " (owner-only): a random key for door " + made.owner()
                            + "; replace it with the door's key from the cloud, or no code opens that door"
                    : "created " + made.file() + " (owner-only): set the same secret on device " + made.owner());
        }
        if (created.isEmpty()) {
            out.println(file + ": every secret file it names exists (" + SecretFiles.referenced(text, base).size()
                    + "); none created");
        }
        if (!show) {
            return 0;
        }
        // Only from a valid profile: a file that breaks the rules (too open, not a secret) is never printed.
        return switch (SiteProfileParser.parse(text, base)) {
            case SiteProfileParser.Result.Valid valid -> {
                devices(valid.profile()).forEach(device -> {
                    if (device.credential() instanceof SiteProfile.Credential.Secret secret) {
                        out.println(device.id() + ": " + new String(secret.bytes(), StandardCharsets.US_ASCII));
                    }
                });
                yield 0;
            }
            case SiteProfileParser.Result.Invalid invalid -> problems(file, invalid, err);
        };
    }

    private static int problems(Path file, SiteProfileParser.Result.Invalid invalid, PrintStream err) {
        for (ProfileError error : invalid.errors()) {
            err.println(error.format(file.toString()));
        }
        err.println(file + ": " + invalid.errors().size() + " problem(s)");
        return 1;
    }

    /** @return every site-link device of the profile, door by door: lock, keypads, QR readers */
    static Stream<SiteProfile.Device> devices(SiteProfile profile) {
        return profile.doors().stream().flatMap(door -> Stream.of(
                Stream.of(door.lock()).map(lock -> switch (lock) {
                    case SiteProfile.Lock.Coap coap -> coap.device();
                    case SiteProfile.Lock.LocalMqtt mqtt -> mqtt.device();
                    case SiteProfile.Lock.GpioRelay relay -> null;
                }),
                door.keypads().stream().map(keypad -> switch (keypad) {
                    case SiteProfile.Keypad.Coap coap -> coap.device();
                    case SiteProfile.Keypad.LocalMqtt mqtt -> mqtt.device();
                    case SiteProfile.Keypad.Wiegand wiegand -> null;
                }),
                door.qrReaders().stream().map(reader -> switch (reader) {
                    case SiteProfile.QrReader.Coap coap -> coap.device();
                    case SiteProfile.QrReader.LocalMqtt mqtt -> mqtt.device();
                })).flatMap(s -> s).filter(java.util.Objects::nonNull));
    }
}
