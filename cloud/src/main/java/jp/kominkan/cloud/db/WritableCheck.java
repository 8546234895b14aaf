package jp.kominkan.cloud.db;

import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness: the database this instance reaches takes writes. On PostgreSQL behind HAProxy a connection can, for a
 * moment during a failover, reach a node that is (or became) a standby: then {@code pg_is_in_recovery()} is true, the
 * instance says it is not ready, and the balancer sends residents to another (docs/deploy.md). H2 is always writable.
 */
public final class WritableCheck implements HealthCheck {

    private final DbClient db;
    private final boolean postgres;

    /**
     * @param database the cloud's database
     */
    public WritableCheck(Database database) {
        this.db = database.client();
        this.postgres = database.product().equals("PostgreSQL");
    }

    @Override
    public String name() {
        return "database-writable";
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
        if (!postgres) {
            return HealthCheckResponse.builder().status(true).build();
        }
        try {
            boolean standby = db.execute().get("select pg_is_in_recovery() as standby")
                    .map(row -> row.column("standby").getBoolean()).orElse(true);
            return HealthCheckResponse.builder().status(!standby).detail("standby", standby).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.builder().status(false).detail("error", e.getClass().getSimpleName()).build();
        }
    }
}
