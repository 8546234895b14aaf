package jp.kominkan.cloud.staff;

import jp.kominkan.cloud.support.TestDatabases;

/** Staff login, invitations and scope on H2. */
class StaffH2IT extends StaffSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
