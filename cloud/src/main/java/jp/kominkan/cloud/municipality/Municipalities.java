package jp.kominkan.cloud.municipality;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.db.Sql;

/**
 * Finds the municipality a request is for, from the host name it was sent to
 * ({@code municipality_host}), falling back to the configured default municipality (the embedded
 * demo runs on localhost). Municipalities change rarely, so a host is looked up once per instance;
 * nothing another instance would need lives only here.
 */
public final class Municipalities {

    private static final String BY_HOST = """
            select m.id, m.code, m.name, m.prefecture, m.city, m.zone_id
              from municipality_host h join municipality m on m.id = h.municipality_id
             where h.host = ?""";
    private static final String BY_CODE = """
            select id, code, name, prefecture, city, zone_id from municipality where code = ?""";

    private final DbClient db;
    private final Optional<String> defaultCode;
    private static final int MAX_REMEMBERED_HOSTS = 1024;

    private final Map<String, Optional<Municipality>> byHost = new ConcurrentHashMap<>();

    /**
     * @param db          the database
     * @param defaultCode the code of the municipality served on hosts that are not registered
     */
    public Municipalities(DbClient db, Optional<String> defaultCode) {
        this.db = db;
        this.defaultCode = defaultCode;
    }

    /**
     * The municipality served on a host.
     *
     * @param hostHeader the {@code Host} header, with or without port
     * @return the municipality, if the host serves one
     */
    public Optional<Municipality> forHost(String hostHeader) {
        String host = hostName(hostHeader);
        Optional<Municipality> known = byHost.get(host);
        if (known != null) {
            return known;
        }
        Optional<Municipality> found = db.execute().get(BY_HOST, host).map(Municipalities::map);
        // Only registered hosts are remembered, so that a host added by `kominkan admin create-municipality`
        // is served at once; bounded, so that made-up Host headers cannot fill the memory.
        if (found.isPresent() && byHost.size() < MAX_REMEMBERED_HOSTS) {
            byHost.put(host, found);
        }
        return found.or(() -> defaultCode.flatMap(this::byCode));
    }

    /**
     * A municipality by its local government code.
     *
     * @param code the code
     * @return the municipality, if it exists
     */
    public Optional<Municipality> byCode(String code) {
        return db.execute().get(BY_CODE, code).map(Municipalities::map);
    }

    /**
     * @param id a municipality's id
     * @return the municipality, if it exists
     */
    public Optional<Municipality> byId(long id) {
        return db.execute().get(BY_CODE.replace("code = ?", "id = ?"), id).map(Municipalities::map);
    }

    /**
     * @param municipalityId a municipality
     * @return the host names that serve it, sorted
     */
    public java.util.List<String> hosts(long municipalityId) {
        return jp.kominkan.cloud.db.Sql.list(db.execute().query(
                "select host from municipality_host where municipality_id = ? order by host", municipalityId),
                row -> jp.kominkan.cloud.db.Sql.text(row, "host"));
    }

    /** Strips the port and any IPv6 brackets, and lower-cases: "Example.JP:8080" → "example.jp". */
    static String hostName(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon >= 0 ? host.substring(0, colon) : host;
    }

    private static Municipality map(DbRow row) {
        return new Municipality(Sql.longValue(row, "id"), Sql.text(row, "code"), Sql.text(row, "name"),
                Sql.text(row, "prefecture"), Sql.text(row, "city"), ZoneId.of(Sql.text(row, "zone_id")));
    }
}
