package jp.kominkan.cloud.reduction;

import jp.kominkan.cloud.support.TestDatabases;

/** 減免 on a real PostgreSQL server. */
class ReductionsPostgresIT extends ReductionsSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
