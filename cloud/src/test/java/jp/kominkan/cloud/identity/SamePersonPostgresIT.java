package jp.kominkan.cloud.identity;

import jp.kominkan.cloud.support.TestDatabases;

/** One person across providers on a real PostgreSQL server. */
class SamePersonPostgresIT extends SamePersonSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
