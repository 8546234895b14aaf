package jp.kominkan.cloud.db;

import java.lang.System.Logger.Level;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import org.flywaydb.core.Flyway;

/**
 * The cloud's database: migrates the schema with Flyway, then opens the Helidon DB Client pool.
 *
 * <p>H2 (a file in the data folder) is the embedded default; PostgreSQL is chosen by giving a
 * {@code jdbc:postgresql:} URL in {@code db.connection.url}. The same migrations run on both.
 */
public final class Database implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final DbClient client;
    private final String url;
    private final String user;
    private final String password;

    private Database(DbClient client, String url, String user, String password) {
        this.client = client;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Migrates and opens the database described by the {@code db} config node.
     *
     * @param db the {@code db} node: {@code connection.url}, {@code connection.username},
     *           {@code connection.password} and the pool settings
     * @return the open database
     */
    public static Database open(Config db) {
        return open(db, MIGRATIONS);
    }

    /**
     * Where migrations are: SQL that runs on both databases, and Java where the dialects differ.
     */
    public static final String[] MIGRATIONS = {"classpath:db/migration", "classpath:jp/kominkan/cloud/db/migration"};

    private static Database open(Config db, String[] locations) {
        String url = db.get("connection.url").asString().get();
        if (url.startsWith("jdbc:postgresql:") && !url.contains("stringtype=unspecified")) {
            // Helidon's JDBC client binds UUIDs as text; this lets PostgreSQL infer the column type.
            throw new IllegalStateException("Add stringtype=unspecified to the PostgreSQL URL, e.g. "
                    + "jdbc:postgresql://db:5432/kominkan?stringtype=unspecified");
        }
        String user = db.get("connection.username").asString().orElse("");
        String password = db.get("connection.password").asString().orElse("");
        var result = Flyway.configure()
                .dataSource(url, user, password)
                .locations(MIGRATIONS)
                .load()
                .migrate();
        LOG.log(Level.INFO, "Database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migrations applied) on " + product(url));
        return new Database(DbClient.create(db), url, user, password);
    }

    /**
     * A connection of its own, outside the pool, for work that holds one open (PostgreSQL's LISTEN).
     *
     * @return a new connection, for the caller to close
     * @throws java.sql.SQLException when the database cannot be reached
     */
    public java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(url, user, password);
    }

    /** @return the DB Client */
    public DbClient client() {
        return client;
    }

    /** @return "H2" or "PostgreSQL", for logs and benchmark output */
    public String product() {
        return product(url);
    }

    private static String product(String url) {
        return url.startsWith("jdbc:postgresql:") ? "PostgreSQL" : url.startsWith("jdbc:h2:") ? "H2" : "JDBC";
    }

    @Override
    public void close() {
        client.close();
    }
}
