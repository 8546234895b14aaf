package jp.kominkan.cloud.caretaking;

import jp.kominkan.cloud.support.TestDatabases;

/** The caretakers' desk on H2. */
class CaretakingH2IT extends CaretakingSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
