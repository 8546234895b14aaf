package jp.kominkan.cloud.fairness;

import jp.kominkan.cloud.support.TestDatabases;

/** The room search suite on a real PostgreSQL server. */
class RoomSearchPostgresIT extends RoomSearchSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
