package jp.kominkan.cloud.backoffice;

import jp.kominkan.cloud.support.TestDatabases;

/** Resident and staff management on a real PostgreSQL server. */
class ResidentAdminPostgresIT extends ResidentAdminSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
