package jp.kominkan.cloud.fleet;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.grant.GrantKeyStore;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Writes the site profile a gateway starts from (format: {@code docs/site-profile.md}): its doors
 * and their code-verifier keys, the cloud's public keys to trust, and its TLS files. Enrollment
 * hands it to the gateway. Each door gets a strike relay (pins numbered from 17), a CoAP keypad, a
 * Wi-Fi keypad on the gateway's own broker and a CoAP QR reader, for the installer to adjust to the
 * building. Devices are named by their secret files only: the cloud never knows a device's secret
 * (the gateway makes them at enrollment), and no device talks to the cloud. No {@code site-link}
 * section, so the gateway's defaults apply.
 */
public final class SiteProfileExport {

    private static final String DOORS = "select id, name from door where gateway_id = ? order by id";
    private static final String GATEWAY = """
            select g.id, m.code from gateway g join municipality m on m.id = g.municipality_id where g.id = ?""";

    private SiteProfileExport() {
    }

    /** The files enrollment writes beside the profile. */
    public static final String CA_FILE = "ca.pem";
    /** The gateway's certificate. */
    public static final String CERTIFICATE_FILE = "gateway.pem";
    /** The gateway's private key. */
    public static final String KEY_FILE = "gateway.key";
    /** The folder, beside the profile, that the devices' secret files go in. */
    public static final String SECRETS = "secrets/";
    /** Each door's CoAP keypad is {@code <doorId>.keypad}. */
    public static final String KEYPAD = ".keypad";
    /** Each door's Wi-Fi keypad on the gateway's broker is {@code <doorId>.wifi-keypad}. */
    public static final String WIFI_KEYPAD = ".wifi-keypad";
    /** Each door's CoAP QR reader is {@code <doorId>.qr}. */
    public static final String QR_READER = ".qr";

    /**
     * The profile of an enrolled gateway: storage in {@code state} and the TLS files beside it.
     *
     * @param db        the database
     * @param gatewayId the gateway
     * @param broker    the broker URI the gateway should use ({@code ssl://…})
     * @param keys      the cloud's keys
     * @return the YAML text
     */
    public static String enrolled(DbClient db, String gatewayId, String broker, GrantKeyStore keys) {
        String tls = "  tls:\n    ca: " + CA_FILE + "\n    certificate: " + CERTIFICATE_FILE + "\n    key: " + KEY_FILE + "\n";
        return yaml(db, gatewayId, broker, keys, tls);
    }

    private static String yaml(DbClient db, String gatewayId, String broker, GrantKeyStore keys, String tls) {
        Map<String, Ed25519PublicKeyParameters> publicKeys = keys.publicKeys();
        String municipality = db.execute().get(GATEWAY, gatewayId).map(row -> Sql.text(row, "code"))
                .orElseThrow(() -> new IllegalArgumentException("No gateway " + gatewayId));
        StringBuilder out = new StringBuilder()
                .append("# Site profile for gateway ").append(gatewayId).append(", written by the Kominkan cloud.\n")
                .append("# The door keys below are secrets: keep this file readable by the gateway only.\n")
                .append("# Device secrets are not here: each sits in its secret-file, made by kominkan-gateway enroll.\n")
                .append("gateway:\n  id: ").append(gatewayId).append("\n  municipality: \"").append(municipality).append("\"\n")
                .append("cloud:\n  broker: ").append(broker).append('\n').append(tls).append("  trusted-keys:\n");
        publicKeys.forEach((id, key) -> out.append("    - key-id: ").append(id).append("\n      public-key: ")
                .append(HexFormat.of().formatHex(key.getEncoded())).append('\n'));
        out.append("storage: \"state\"\n");
        List<String[]> doors = Sql.list(db.execute().query(DOORS, gatewayId),
                row -> new String[] {Sql.text(row, "id"), Sql.text(row, "name"),
                        HexFormat.of().formatHex(keys.doorKey(Sql.text(row, "id")))}).stream()
                .filter(door -> jp.kominkan.shared.topic.Topic.isId(door[0]))   // never an id that breaks the YAML
                .toList();
        // A gateway enrolled before its doors are set up follows its stream with no doors yet.
        out.append(doors.isEmpty() ? "doors: []\n" : "doors:\n");
        int pin = 17;
        for (String[] door : doors) {
            out.append("  - id: ").append(door[0]).append('\n')
                    .append("    name: \"").append(plain(door[1])).append("\"\n")
                    .append("    key: ").append(door[2]).append('\n')
                    .append("    lock:\n      type: gpio-relay\n      pin: ").append(pin++).append("\n      pulse-ms: 3000\n")
                    .append("    keypad:\n")
                    .append(device("      - ", "coap", door[0] + KEYPAD, ".psk"))
                    .append(device("      - ", "mqtt-local", door[0] + WIFI_KEYPAD, ".pw"))
                    .append("    qr-reader:\n")
                    .append(device("      ", "coap", door[0] + QR_READER, ".psk"));
        }
        return out.toString();
    }

    /**
     * A site-link device of a door, named after it (door ids are at most 64 characters, so these
     * stay within a device id's 100), with the file its secret goes in.
     */
    private static String device(String first, String type, String id, String extension) {
        String indent = " ".repeat(first.length());
        return first + "type: " + type + "\n" + indent + "device: " + id + "\n"
                + indent + "secret-file: " + SECRETS + id + extension + "\n";
    }

    /** Text safe inside a double-quoted YAML scalar: no quotes, backslashes or line breaks from a name. */
    private static String plain(String text) {
        return text.replaceAll("[\"\\\\\\p{Cntrl}]", "");
    }
}
