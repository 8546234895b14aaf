package jp.kominkan.firmware;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.kominkan.firmware.profile.ProfileError;
import jp.kominkan.firmware.profile.SiteProfileParser;

/**
 * The installer's tool: {@code kominkan config validate site.yaml} checks a site profile and
 * prints each problem as {@code file:line:column: setting: message}.
 */
public final class ConfigTool {

    private ConfigTool() {
    }

    /**
     * @param args {@code validate FILE}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args the command line
     * @param out  where results go
     * @param err  where errors go
     * @return the exit status: 0 valid, 1 invalid, 2 usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("validate")) {
            err.println("Usage: kominkan config validate SITE.yaml");
            return 2;
        }
        Path file = Path.of(args[1]);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return 1;
        }
        return switch (SiteProfileParser.parse(text)) {
            case SiteProfileParser.Result.Valid valid -> {
                out.println(file + ": valid — gateway " + valid.profile().gatewayId() + ", "
                        + valid.profile().doors().size() + " door(s)");
                yield 0;
            }
            case SiteProfileParser.Result.Invalid invalid -> {
                for (ProfileError error : invalid.errors()) {
                    err.println(error.format(file.toString()));
                }
                err.println(file + ": " + invalid.errors().size() + " problem(s)");
                yield 1;
            }
        };
    }
}
