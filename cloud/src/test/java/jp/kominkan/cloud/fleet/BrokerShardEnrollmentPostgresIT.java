package jp.kominkan.cloud.fleet;

import jp.kominkan.cloud.support.TestDatabases;

/** Gateways on broker shards, on PostgreSQL. */
class BrokerShardEnrollmentPostgresIT extends BrokerShardEnrollmentSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
