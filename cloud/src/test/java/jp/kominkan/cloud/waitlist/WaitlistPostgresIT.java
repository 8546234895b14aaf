package jp.kominkan.cloud.waitlist;

import jp.kominkan.cloud.support.TestDatabases;

/** The waiting-list suite on a real PostgreSQL server. */
class WaitlistPostgresIT extends WaitlistSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
