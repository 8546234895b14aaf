package jp.kominkan.cloud.reduction;

import jp.kominkan.cloud.support.TestDatabases;

/** Staff notices and the counter's wait for 減免 on a real PostgreSQL server. */
class StaffNoticesPostgresIT extends StaffNoticesSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
