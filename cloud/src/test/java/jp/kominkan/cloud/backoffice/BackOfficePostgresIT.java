package jp.kominkan.cloud.backoffice;

import jp.kominkan.cloud.support.TestDatabases;

/** The back office's APIs, roles, journeys and operation log on a real PostgreSQL server. */
class BackOfficePostgresIT extends BackOfficeSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
