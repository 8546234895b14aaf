package jp.kominkan.cloud.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.account.PasswordHasher;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.staff.StaffRole;
import jp.kominkan.cloud.support.Api;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Adding a door to a gateway's room, tried by every kind of caller; only the right one changes anything. */
class GatewayDoorsH2IT {

    static final String PASSWORD = "a long staff password";
    static Cloud cloud;
    static Api api;

    @BeforeAll
    static void start() {
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true, Map.of());
        api = new Api(cloud.port());
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void onlyAManagerOfTheGatewaysFacilityAddsADoorAndItIsLogged() {
        String gateway = DemoData.CODE + "-gw-ekimae";
        long ekimae = number("select facility_id as n from gateway where id = ?", gateway);
        long room = number("select room_id as n from door where id = ?", DemoData.CODE + "-door-study");
        long otherRoom = number("select min(id) as n from room where facility_id <> ? and municipality_id = "
                + "(select municipality_id from gateway where id = ?)", ekimae, gateway);
        long town = number("select municipality_id as n from gateway where id = ?", gateway);
        String main = api.staffLogin(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
        String clerk = member(town, "clerk-doors@city.yamabuki.example.lg.jp", StaffRole.CLERK, ekimae);
        String otherAdmin = member(town, "other-doors@city.yamabuki.example.lg.jp", StaffRole.FACILITY,
                number("select min(id) as n from facility where id <> ? and municipality_id = ?", ekimae, town));
        String resident = api.login(DemoData.RESIDENT_EMAIL, DemoData.RESIDENT_PASSWORD);
        String path = "/api/v1/staff/gateways/" + gateway + "/doors";
        String body = "{\"id\":\"" + DemoData.CODE + "-door-study-2\",\"roomId\":" + room + ",\"name\":\"自習室 裏口\"}";
        long doors = number("select count(*) as n from door");

        assertThat(api.post(path, body).send().status()).isEqualTo(401);
        assertThat(api.post(path, body).token(resident).send().status()).isEqualTo(401);
        assertThat(api.post(path, body).token(clerk).send().status()).isEqualTo(403);
        assertThat(api.post(path, body).token(otherAdmin).send().status()).isEqualTo(404);
        assertThat(api.post("/api/v1/staff/gateways/no-such-gateway/doors", body).token(main).send().status())
                .isEqualTo(404);
        for (String[] bad : new String[][] {{"-door-study-2\"", "-door study\"", "doorId"},
                {"\"id\":\"" + DemoData.CODE, "\"id\":\"999992", "doorId"},
                {"\"roomId\":" + room, "\"roomId\":" + otherRoom, "roomId"},
                {"\"name\":\"自習室 裏口\"", "\"name\":\"\"", "doorName"}}) {
            Api.Response refused = api.post(path, body.replace(bad[0], bad[1])).token(main).send();
            assertThat(refused.status()).as(bad[1]).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).as(bad[1]).isEqualTo(bad[2]);
        }
        assertThat(number("select count(*) as n from door")).isEqualTo(doors);

        Api.Response added = api.post(path, body).token(main).send();
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(number("select count(*) as n from door where id = ? and gateway_id = ?", DemoData.CODE
                + "-door-study-2", gateway)).isEqualTo(1);
        assertThat(api.post(path, body).token(main).send().status()).isEqualTo(409);
        assertThat(number("select count(*) as n from staff_operation where action = 'door.add' and target_id = ?",
                DemoData.CODE + "-door-study-2")).isEqualTo(1);
    }

    private static String member(long town, String email, StaffRole role, long facility) {
        new StaffRepository(cloud.database().client()).insert(new StaffMember(UUID.randomUUID(), town, email, "扉 試験",
                role, Set.of(facility)), PasswordHasher.DEFAULT.hash(PASSWORD), Instant.now());
        return api.staffLogin(email, PASSWORD);
    }

    private static long number(String sql, Object... params) {
        var exec = cloud.database().client().execute();
        return Sql.longValue((params.length == 0 ? exec.get(sql) : exec.get(sql, params))
                .orElseThrow(), "n");
    }
}
