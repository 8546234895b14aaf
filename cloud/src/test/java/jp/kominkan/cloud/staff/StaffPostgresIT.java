package jp.kominkan.cloud.staff;

import jp.kominkan.cloud.support.TestDatabases;

/** Staff login, invitations and scope on a real PostgreSQL server. */
class StaffPostgresIT extends StaffSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
