package jp.kominkan.cloud.identity;

import jp.kominkan.cloud.support.TestDatabases;

/** The identity flows and checks on a real PostgreSQL server. */
class IdentityPostgresIT extends IdentitySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
