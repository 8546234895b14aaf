package jp.kominkan.cloud.fleet;

import jp.kominkan.cloud.support.TestDatabases;

/** Gateway enrollment on H2. */
class EnrollmentH2IT extends EnrollmentSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
