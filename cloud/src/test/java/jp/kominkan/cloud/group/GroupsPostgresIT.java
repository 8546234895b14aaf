package jp.kominkan.cloud.group;

import jp.kominkan.cloud.support.TestDatabases;

/** Groups on a real PostgreSQL server. */
class GroupsPostgresIT extends GroupsSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
