package jp.kominkan.cloud.waitlist;

import jp.kominkan.cloud.support.TestDatabases;

/** The waiting-list suite on H2. */
class WaitlistH2IT extends WaitlistSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
