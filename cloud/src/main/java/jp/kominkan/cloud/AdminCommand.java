package jp.kominkan.cloud;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.municipality.MunicipalitySetup;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * {@code kominkan-cloud admin …}: day one for a city, against the configured database.
 * <pre>
 * admin create-municipality --code 082341 --name 鉾田市 --kana ほこたし --prefecture 茨城県 --city 鉾田市 --host yoyaku.city.hokota.lg.jp
 * admin create-administrator --municipality 082341 --email kanri@city.hokota.lg.jp --name "鉾田 太郎" [--invite | --password-stdin]
 * </pre>
 * Both are idempotent: run again, they change nothing and say so. Each write goes into the
 * municipality's operation log as done on the command line.
 */
final class AdminCommand {

    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param out where reports go
     * @param err where refusals go (a test captures both)
     */
    AdminCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static int run(String[] args, Config config) {
        return new AdminCommand(System.out, System.err).dispatch(args, config, System.console(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    int dispatch(String[] args, Config config, Console console, BufferedReader stdin) {
        if (args.length < 2 || !List.of("create-municipality", "create-administrator").contains(args[1])) {
            return usage("Say what to do: admin create-municipality or admin create-administrator.");
        }
        Map<String, List<String>> options = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--invite") || flag.equals("--password-stdin")) {
                options.put(flag, List.of("yes"));
                continue;
            }
            if (!flag.startsWith("--") || i + 1 >= args.length) {
                return usage(flag + (flag.startsWith("--") ? " needs a value." : ": options start with --."));
            }
            options.computeIfAbsent(flag, k -> new ArrayList<>()).add(args[++i]);
        }
        Clock clock = Clock.systemUTC();
        try (Database database = Database.open(config.get("db"))) {
            Cloud.Services services = Cloud.Services.create(database, config.get("kominkan"), clock);
            OperationLog log = new OperationLog(database.client());
            return args[1].equals("create-municipality")
                    ? createMunicipality(options, new MunicipalitySetup(database.client()), log, clock,
                    config.get("kominkan.municipality-check-digit").asBoolean().orElse(true))
                    : createAdministrator(options, services, log, clock, console, stdin,
                    config.get("kominkan.secure-cookie").asBoolean().orElse(true));
        }
    }

    private int createMunicipality(Map<String, List<String>> o, MunicipalitySetup setup, OperationLog log, Clock clock,
                                   boolean checkDigit) {
        MunicipalitySetup.Details details = new MunicipalitySetup.Details(one(o, "--code"), one(o, "--name"),
                one(o, "--kana"), one(o, "--prefecture"), one(o, "--city"), o.getOrDefault("--host", List.of()));
        try {
            MunicipalitySetup.Outcome done = setup.create(details, checkDigit);
            if (done.created()) {
                log.append(done.id(), Actor.commandLine(), Change.of("municipality.create", "municipality",
                        details.code(), null, null, Map.of("code", details.code(), "name", details.name(),
                                "prefecture", details.prefecture(), "hosts", done.hostsAdded())), clock.instant());
                out.println("Created municipality " + details.code() + " " + details.name() + " (hosts: "
                        + String.join(", ", done.hostsAdded()) + ").");
                out.println("Next: kominkan admin create-administrator --municipality " + details.code()
                        + " --email … --name …");
            } else if (!done.hostsAdded().isEmpty()) {
                log.append(done.id(), Actor.commandLine(), Change.of("municipality.add-hosts", "municipality",
                        details.code(), null, null, Map.of("hosts", done.hostsAdded())), clock.instant());
                out.println("Municipality " + details.code() + " exists; added hosts " + String.join(", ", done.hostsAdded())
                        + ".");
            } else {
                out.println("Municipality " + details.code() + " " + details.name() + " exists already; nothing changed.");
            }
            return 0;
        } catch (MunicipalitySetup.SetupRefused e) {
            err.println("kominkan admin: --" + e.field() + ": " + e.getMessage());
            return 1;
        }
    }

    private int createAdministrator(Map<String, List<String>> o, Cloud.Services services, OperationLog log, Clock clock,
                                    Console console, BufferedReader stdin, boolean https) {
        Optional<Municipality> found = services.municipalities().byCode(one(o, "--municipality"));
        if (found.isEmpty()) {
            err.println("kominkan admin: --municipality: no municipality has the code '" + one(o, "--municipality")
                    + "'; create it first with admin create-municipality.");
            return 1;
        }
        Municipality town = found.get();
        String email = one(o, "--email");
        Optional<StaffMember> existing = services.staff().findByEmail(town, email);
        if (existing.isPresent()) {
            out.println(existing.get().role().wire().equals("main")
                    ? "A main administrator with this e-mail exists already in " + town.name() + "; nothing changed."
                    : "This e-mail belongs to a member of staff who is not a main administrator; change their role in"
                    + " the staff pages. Nothing changed.");
            return existing.get().role().wire().equals("main") ? 0 : 1;
        }
        try {
            if (o.containsKey("--invite")) {
                String host = services.municipalities().hosts(town.id()).stream().findFirst().orElse("localhost:8080");
                String link = services.staff().inviteFirstAdministrator(town, email,
                        (https && !host.startsWith("localhost") ? "https://" : "http://") + host);
                log.append(town.id(), Actor.commandLine(), Change.of("staff.invite", "staff-invitation", "main",
                        null, null, Map.of("role", "main")), clock.instant());
                out.println("Give this one-time link to the administrator; it works once, for "
                        + services.staff().invitationLifetime().toHours() + " hours:");
                out.println(link);
                return 0;
            }
            String password = password(o.containsKey("--password-stdin"), console, stdin);
            StaffMember member = services.staff().createMainAdministrator(town, email, password, one(o, "--name"));
            log.append(town.id(), Actor.commandLine(), Change.of("staff.create", "staff", member.id(), null, null,
                    Map.of("role", "main")), clock.instant());
            out.println("Created the main administrator " + member.email() + " of " + town.name()
                    + "; log in at /staff/login.");
            return 0;
        } catch (Problem problem) {
            err.println("kominkan admin: " + problem.field().map(f -> "--" + f + ": ").orElse("") + problem.english());
            return 1;
        } catch (IOException e) {
            err.println("kominkan admin: could not read the password: " + e.getMessage());
            return 1;
        }
    }

    private String password(boolean fromStdin, Console console, BufferedReader stdin) throws IOException {
        if (fromStdin) {
            String line = stdin.readLine();
            return line == null ? "" : line;
        }
        if (console == null) {
            throw Problem.badField("password-stdin", "No terminal to ask for a password: use --invite for a one-time"
                    + " link, or --password-stdin.", "端末がありません。--invite か --password-stdin を使ってください。");
        }
        char[] first = console.readPassword("Password (12 characters or more): ");
        char[] again = console.readPassword("The same password again: ");
        if (first == null || again == null || !java.util.Arrays.equals(first, again)) {
            throw Problem.badField("password", "The two passwords differ; nothing was created.",
                    "2 回入力したパスワードが一致しません。");
        }
        return new String(first);
    }

    private static String one(Map<String, List<String>> options, String flag) {
        List<String> values = options.getOrDefault(flag, List.of());
        return values.isEmpty() ? "" : values.get(0);
    }

    private int usage(String message) {
        err.println("kominkan admin: " + message);
        err.println("Usage: kominkan admin create-municipality --code CODE --name NAME --kana KANA --prefecture PREF"
                + " --city CITY [--host HOST …]");
        err.println("       kominkan admin create-administrator --municipality CODE --email EMAIL --name NAME"
                + " [--invite | --password-stdin]");
        return 2;
    }
}
