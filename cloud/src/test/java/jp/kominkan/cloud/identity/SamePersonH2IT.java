package jp.kominkan.cloud.identity;

import jp.kominkan.cloud.support.TestDatabases;

/** One person across providers on H2. */
class SamePersonH2IT extends SamePersonSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
