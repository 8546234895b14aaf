package jp.kominkan.cloud.login;

import jp.kominkan.cloud.support.TestDatabases;

/** The web front's hardening on a real PostgreSQL server. */
class WebFrontPostgresIT extends WebFrontSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
