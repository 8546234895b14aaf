package jp.kominkan.cloud.fleet;

import jp.kominkan.cloud.support.TestDatabases;

/** Gateway enrollment on PostgreSQL. */
class EnrollmentPostgresIT extends EnrollmentSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
