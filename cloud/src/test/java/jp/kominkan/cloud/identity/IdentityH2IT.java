package jp.kominkan.cloud.identity;

import jp.kominkan.cloud.support.TestDatabases;

/** The identity flows and checks on H2. */
class IdentityH2IT extends IdentitySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
