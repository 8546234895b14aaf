package jp.kominkan.cloud.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.fleet.Enrollments;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.pki.BrokerFiles;
import jp.kominkan.cloud.staff.StaffMember;

/**
 * The demo's door network, set up as an installer would, in the data folder: the broker's
 * certificate, CRL and ACL in {@code broker/}, and for each demo gateway not yet enrolled a
 * one-time enrollment token in {@code gateways/<id>.token} — what staff would read off the staff
 * pages — which {@code ./kominkan demo} hands to {@code kominkan-gateway enroll}, the real
 * enrollment flow. {@code gateways/.prepared} says it is done. The doors' keypads and locks get no
 * credential from the cloud: they belong to each gateway's site link (docs/gateway.md, "Site link").
 */
public final class DemoDoorNetwork {

    private static final String GATEWAYS = "select id from gateway where decommissioned_at is null order by id";

    private DemoDoorNetwork() {
    }

    /**
     * @param cloud the running demo cloud
     * @param data  the data folder
     * @param clock the clock
     */
    public static void prepare(Cloud cloud, Path data, Clock clock) {
        DbClient db = cloud.database().client();
        var services = cloud.services();
        new BrokerFiles(services.ca(), services.certificates(), clock)
                .writeAll(data.resolve("broker"), List.of("127.0.0.1", "localhost"));
        Municipality town = services.municipalities().byCode(DemoData.CODE).orElseThrow();
        StaffMember admin = services.staff().authenticate(town,
                services.staff().login(town, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD, "demo").token()).orElseThrow();
        Path gateways = data.resolve("gateways");
        try {
            Files.createDirectories(gateways);
            for (String gateway : Sql.list(db.execute().query(GATEWAYS), row -> Sql.text(row, "id"))) {
                if (Files.exists(gateways.resolve(gateway).resolve("site.yaml"))) {
                    continue;   // enrolled on an earlier run: its certificate is still good
                }
                Enrollments.IssuedToken token = services.enrollments().issueToken(admin, town, gateway);
                Path file = gateways.resolve(gateway + ".token");
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, token.token(), StandardCharsets.US_ASCII);
            }
            Files.writeString(gateways.resolve(".prepared"), "ready\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the demo's enrollment tokens to " + gateways, e);
        }
    }
}
