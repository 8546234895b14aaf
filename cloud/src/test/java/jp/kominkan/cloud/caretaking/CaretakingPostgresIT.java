package jp.kominkan.cloud.caretaking;

import jp.kominkan.cloud.support.TestDatabases;

/** The caretakers' desk on PostgreSQL. */
class CaretakingPostgresIT extends CaretakingSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
