package jp.kominkan.cloud.fairness;

import jp.kominkan.cloud.support.TestDatabases;

/** The room search suite on H2. */
class RoomSearchH2IT extends RoomSearchSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
