package jp.kominkan.cloud.fleet;

import jp.kominkan.cloud.support.TestDatabases;

/** Gateways on broker shards, on H2. */
class BrokerShardEnrollmentH2IT extends BrokerShardEnrollmentSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
