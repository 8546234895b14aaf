package jp.kominkan.cloud.login;

import jp.kominkan.cloud.support.TestDatabases;

/** The login throttle on a real PostgreSQL server. */
class LoginThrottlePostgresIT extends LoginThrottleSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
