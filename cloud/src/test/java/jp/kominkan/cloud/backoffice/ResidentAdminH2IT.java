package jp.kominkan.cloud.backoffice;

import jp.kominkan.cloud.support.TestDatabases;

/** Resident and staff management on H2. */
class ResidentAdminH2IT extends ResidentAdminSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
