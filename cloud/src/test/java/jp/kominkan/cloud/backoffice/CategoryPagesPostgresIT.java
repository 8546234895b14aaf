package jp.kominkan.cloud.backoffice;

import jp.kominkan.cloud.support.TestDatabases;

/** The category pages on a real PostgreSQL server. */
class CategoryPagesPostgresIT extends CategoryPagesSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
