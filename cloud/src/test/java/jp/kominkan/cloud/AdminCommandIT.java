package jp.kominkan.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.municipality.MunicipalitySetup;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code kominkan-cloud admin …} against a fresh database, as on a city's first day: the municipality is
 * created once and refused with the wrong details, naming the option; its first administrator is created
 * from a password on standard input or gets a one-time link that works on the municipality's host; both
 * land in the operation log as done on the command line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminCommandIT {

    static final String CODE = "082341";
    static final String HOST = "yoyaku.city.hokota.lg.jp";
    static final String ADMIN = "kanri@city.hokota.lg.jp";
    static final String PASSWORD = "a long admin password";

    TestDatabases.Jdbc jdbc;
    Config config;
    Cloud cloud;

    @BeforeAll
    void freshDatabase() {
        jdbc = TestDatabases.fresh(TestDatabases.Kind.H2);
        config = TestCloud.config(jdbc, Map.of());
        // The cloud serves the same database, with no demo data and no default municipality.
        cloud = Cloud.start(TestCloud.config(jdbc, Map.of("kominkan.default-municipality", "")), Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    Run admin(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new AdminCommand(o, e).dispatch(all.toArray(String[]::new), config, null,
                    new BufferedReader(new StringReader(stdin)));
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run createMunicipality(String code, String name, String kana, String prefecture, String host) {
        return admin("", "create-municipality", "--code", code, "--name", name, "--kana", kana, "--prefecture",
                prefecture, "--city", name, "--host", host);
    }

    @Test
    @Order(1)
    void aMunicipalityIsCreatedOnceAndAgainChangesNothing() {
        assertThat(MunicipalitySetup.checkDigit(CODE)).isEqualTo(1); // 鉾田市, 茨城県
        assertThat(count("select count(*) as n from municipality")).isZero();

        Run created = createMunicipality(CODE, "鉾田市", "ほこたし", "茨城県", HOST);
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created municipality 082341 鉾田市", HOST);
        assertThat(count("select count(*) as n from municipality where code = ? and name = ? and name_kana = ?"
                + " and prefecture = ? and city = ?", CODE, "鉾田市", "ほこたし", "茨城県", "鉾田市")).isEqualTo(1);
        assertThat(count("select count(*) as n from municipality_host h join municipality m on m.id = h.municipality_id"
                + " where m.code = ? and h.host = ?", CODE, HOST)).isEqualTo(1);
        Map<String, Long> before = state();

        Run again = createMunicipality(CODE, "鉾田市", "ほこたし", "茨城県", HOST.toUpperCase());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("nothing changed");
        assertThat(state()).isEqualTo(before);
        assertThat(count("select count(*) as n from municipality")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void wrongDetailsAreRefusedNamingTheOptionAndChangeNothing() {
        Map<String, Long> before = state();
        assertRefused(createMunicipality(CODE, "鉾田町", "ほこたし", "茨城県", HOST), "--name");
        assertRefused(createMunicipality(CODE, "鉾田市", "ほこたまち", "茨城県", HOST), "--kana");
        assertRefused(createMunicipality(CODE, "鉾田市", "ほこたし", "栃木県", HOST), "--prefecture");
        assertRefused(createMunicipality("082342", "鉾田市", "ほこたし", "茨城県", "yoyaku.example.lg.jp"), "--code");
        assertRefused(createMunicipality("08234", "鉾田市", "ほこたし", "茨城県", "yoyaku.example.lg.jp"), "--code");
        assertRefused(createMunicipality("131016", "千代田区", "ちよだく", "東京県", "yoyaku.city.chiyoda.lg.jp"),
                "--prefecture");
        assertRefused(createMunicipality("131016", "千代田区", "chiyoda", "東京都", "yoyaku.city.chiyoda.lg.jp"), "--kana");
        assertRefused(createMunicipality("131016", "千代田区", "ちよだく", "東京都", "bad_host!"), "--host");
        assertRefused(createMunicipality("131016", "千代田区", "ちよだく", "東京都", "-yoyaku.example"), "--host");
        // A host that already serves another municipality: refused, and 千代田区 is not half-created.
        assertThat(MunicipalitySetup.checkDigit("131016")).isEqualTo(6);
        assertRefused(createMunicipality("131016", "千代田区", "ちよだく", "東京都", HOST), "--host");
        assertThat(state()).isEqualTo(before);
        assertThat(count("select count(*) as n from municipality where code in ('082342', '131016')")).isZero();
        assertThat(admin("", "create-municipality").exit()).isEqualTo(1);
        assertThat(admin("", "create-something").exit()).isEqualTo(2);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void theFirstAdministratorIsCreatedFromStandardInputAndCanLogIn() {
        Map<String, Long> before = state();
        assertRefused(admin("short\n", "create-administrator", "--municipality", CODE, "--email", ADMIN, "--name",
                "鉾田 太郎", "--password-stdin"), "--password");
        assertRefused(admin(PASSWORD + "\n", "create-administrator", "--municipality", "999999", "--email", ADMIN,
                "--name", "鉾田 太郎", "--password-stdin"), "--municipality");
        assertRefused(admin(PASSWORD + "\n", "create-administrator", "--municipality", CODE, "--email", "not-an-address",
                "--name", "鉾田 太郎", "--password-stdin"), "--email");
        assertRefused(admin("", "create-administrator", "--municipality", CODE, "--email", ADMIN, "--name", "鉾田 太郎"),
                "--password-stdin");
        assertThat(state()).isEqualTo(before);

        Run created = admin(PASSWORD + "\n", "create-administrator", "--municipality", CODE, "--email", ADMIN,
                "--name", "鉾田 太郎", "--password-stdin");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created the main administrator " + ADMIN);
        assertThat(count("select count(*) as n from staff_account where email = ? and staff_role = 'main'", ADMIN))
                .isEqualTo(1);
        Api api = new Api(cloud.port());
        String token = login(api, ADMIN, PASSWORD);
        JsonNode me = api.get("/api/v1/staff/me").token(token).header("Host", HOST).send().json();
        assertThat(me.get("role").asText()).isEqualTo("main");
        assertThat(me.get("name").asText()).isEqualTo("鉾田 太郎");

        Map<String, Long> after = state();
        Run again = admin("another long password\n", "create-administrator", "--municipality", CODE, "--email",
                ADMIN.toUpperCase(), "--name", "別の 名前", "--password-stdin");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("nothing changed");
        assertThat(state()).isEqualTo(after);
        assertThat(login(api, ADMIN, PASSWORD)).as("the first password still works").isNotBlank();
        assertThat(api.post("/api/v1/staff/session", "{\"email\":\"" + ADMIN + "\",\"password\":\"another long password\"}")
                .header("Host", HOST).send().status()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void anInvitationPrintsAOneTimeLinkThatWorksOnTheMunicipalitysHost() {
        String email = "daini@city.hokota.lg.jp";
        Run invited = admin("", "create-administrator", "--municipality", CODE, "--email", email, "--name", "鉾田 次郎",
                "--invite");
        assertThat(invited.exit()).as(invited.err()).isZero();
        Matcher link = Pattern.compile("http://" + Pattern.quote(HOST) + "/staff/invitation#token=([A-Za-z0-9_-]{43})")
                .matcher(invited.out());
        assertThat(link.find()).as(invited.out()).isTrue();
        Api api = new Api(cloud.port());
        String accept = "{\"token\":\"" + link.group(1) + "\",\"name\":\"鉾田 次郎\",\"password\":\"" + PASSWORD + "\"}";
        Api.Response accepted = api.post("/api/v1/staff/invitations/accept", accept).header("Host", HOST).send();
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(accepted.json().get("role").asText()).isEqualTo("main");
        assertThat(login(api, email, PASSWORD)).isNotBlank();
        assertThat(api.post("/api/v1/staff/invitations/accept", accept).header("Host", HOST).send().status())
                .as("once only").isEqualTo(409);
    }

    @Test
    @Order(5)
    void theOperationLogHoldsWhatTheCommandLineDid() {
        long town = count("select id as n from municipality where code = ?", CODE);
        List<String> entries = Sql.list(cloud.database().client().execute().query(
                "select action, target_type, target_id, staff_role, staff_id, source_address from staff_operation"
                        + " where municipality_id = ? order by seq", town),
                row -> Sql.text(row, "action") + " " + Sql.text(row, "target_type") + " " + Sql.text(row, "target_id")
                        + " " + Sql.text(row, "staff_role") + " " + Sql.value(row, "staff_id").isPresent() + " "
                        + Sql.text(row, "source_address"));
        String admin = cloud.database().client().execute().get("select id from staff_account where email = ?", ADMIN)
                .map(row -> Sql.value(row, "id").orElseThrow().toString()).orElseThrow();
        assertThat(entries).containsExactly(
                "municipality.create municipality " + CODE + " cli false cli",
                "staff.create staff " + admin + " cli false cli",
                "staff.invite staff-invitation main cli false cli");
        Api api = new Api(cloud.port());
        JsonNode verified = api.get("/api/v1/staff/operations/verify").token(login(api, ADMIN, PASSWORD))
                .header("Host", HOST).send().json();
        assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.get("entries").asLong()).isEqualTo(3);
    }

    static void assertRefused(Run run, String option) {
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("kominkan admin: " + option + ": ");
        assertThat(run.out()).isEmpty();
    }

    String login(Api api, String email, String password) {
        Api.Response session = api.post("/api/v1/staff/session", "{\"email\":\"" + email + "\",\"password\":\""
                + password + "\"}").header("Host", HOST).send();
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        return session.json().get("token").asText();
    }

    /** Row counts of everything the command writes. */
    Map<String, Long> state() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String table : List.of("municipality", "municipality_host", "operation_chain", "staff_operation",
                "staff_account", "staff_invitation")) {
            counts.put(table, count("select count(*) as n from " + table));
        }
        return counts;
    }

    long count(String sql, Object... params) {
        return cloud.database().client().execute().get(sql, params).map(row -> Sql.longValue(row, "n")).orElseThrow();
    }
}
