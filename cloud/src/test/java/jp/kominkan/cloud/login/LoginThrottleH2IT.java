package jp.kominkan.cloud.login;

import jp.kominkan.cloud.support.TestDatabases;

/** The login throttle on H2. */
class LoginThrottleH2IT extends LoginThrottleSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
