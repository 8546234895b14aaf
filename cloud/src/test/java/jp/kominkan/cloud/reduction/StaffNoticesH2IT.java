package jp.kominkan.cloud.reduction;

import jp.kominkan.cloud.support.TestDatabases;

/** Staff notices and the counter's wait for 減免 on H2. */
class StaffNoticesH2IT extends StaffNoticesSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
