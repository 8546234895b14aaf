package jp.kominkan.cloud.login;

import jp.kominkan.cloud.support.TestDatabases;

/** The web front's hardening on H2. */
class WebFrontH2IT extends WebFrontSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
