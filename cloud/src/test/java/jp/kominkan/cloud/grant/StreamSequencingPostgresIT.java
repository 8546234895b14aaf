package jp.kominkan.cloud.grant;

import jp.kominkan.cloud.support.TestDatabases;

/** The grant stream's numbering on PostgreSQL. */
class StreamSequencingPostgresIT extends StreamSequencingSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
