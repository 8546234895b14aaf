package jp.kominkan.cloud.backoffice;

import jp.kominkan.cloud.support.TestDatabases;

/** Blocks on Postgres. */
class BlocksPostgresIT extends BlocksSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
